"""One IAM role per Lambda function, with only what that function uses.

``chalice package`` gives every function a role of its own but the same policy (the placeholder
infra/policy.json). infra/finalize.py replaces each role's policy with the statements listed for
its function in ``GRANTS``; a function that is not listed stops the build, so a new function
starts with no rights until someone writes down what it needs.

KMS is not here: the manage-link key's own policy names the roles that may seal or open links
(infra/template.yml, ``ManageLinkKey``), so nothing granted in IAM can widen it.
"""

from __future__ import annotations

from typing import Any

from infra.resources import TABLE_ID

FUNCTION_TYPE = "AWS::Serverless::Function"
LOG_GROUP_ID = "FunctionLogGroup"

_TABLE_RESOURCES = [{"Fn::GetAtt": [TABLE_ID, "Arn"]}, {"Fn::Sub": "${" + TABLE_ID + ".Arn}/index/*"}]
_READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]
_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
_SES_ARN = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"


def _statement(sid: str, actions: list[str], resource: Any, **extra: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource, **extra}


def _logs() -> dict[str, Any]:
    return _statement(
        "WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], {"Fn::GetAtt": [LOG_GROUP_ID, "Arn"]}
    )


def _traces() -> dict[str, Any]:
    # X-Ray has no resource-level permissions for these two actions.
    return _statement("SendTraces", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*")


def _items(*actions: str) -> dict[str, Any]:
    return _statement("ItemsOfTheTableAndItsIndexes", sorted(actions), _TABLE_RESOURCES)


def _stream() -> dict[str, Any]:
    actions = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
    return _statement(
        "ReadTheTableStream",
        [*actions, "dynamodb:ListStreams"],
        {"Fn::Sub": "${" + TABLE_ID + ".Arn}/stream/*"},
    )


def _send_email() -> dict[str, Any]:
    return _statement(
        "SendFromTheSenderAddressOnly",
        ["ses:SendEmail"],
        [
            {"Fn::Sub": _SES_ARN + ":identity/${EmailIdentity}"},
            {"Fn::Sub": _SES_ARN + ":configuration-set/${EmailConfigurationSet}"},
        ],
        Condition={"StringEquals": {"ses:FromAddress": {"Fn::Sub": "${SenderLocalPart}@${SenderDomain}"}}},
    )


def _failure_queue(queue_id: str) -> dict[str, Any]:
    # Lambda sends a function's failed events with the function's own role.
    return _statement("KeepFailedEvents", ["sqs:SendMessage"], {"Fn::GetAtt": [queue_id, "Arn"]})


def failure_queue_id(function_id: str) -> str:
    return f"{function_id}FailureQueue"


def grants(function_id: str) -> list[dict[str, Any]]:
    """The statements of ``function_id``'s role; KeyError for a function nobody described."""
    everyone = [_logs(), _traces()]
    specific: dict[str, list[dict[str, Any]]] = {
        # Requests: every item operation (transactions are authorised item by item). No stream,
        # no email: emails go out from the stream consumer and the sweep.
        "APIHandler": [_items(*_READ, *_WRITE, "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem")],
        # Appointment changes -> emails and reminders.
        "OutboxConsumer": [
            _items(*_READ, *_WRITE),
            _stream(),
            _send_email(),
            _failure_queue(failure_queue_id(function_id)),
        ],
        # Due reminders -> emails; unanswered requests -> declined (that transaction only updates
        # and deletes items: no condition checks); due webhook retries -> sent (their signing
        # secrets opened with the key below), an endpoint disabled -> one email to its provider.
        "ReminderSweep": [
            _items(*_READ, *_WRITE),
            _send_email(),
            _failure_queue(failure_queue_id(function_id)),
        ],
        # Every 10 minutes: reads each provider's calendars over the outbound guard, writes their
        # busy days (transactions for the calendar and its count item). No email.
        "CalendarSync": [
            _items(*_READ, *_WRITE, "dynamodb:ConditionCheckItem"),
            _failure_queue(failure_queue_id(function_id)),
        ],
        # Bounces and complaints: one suppression item per address, nothing read.
        "EmailFeedback": [_items("dynamodb:PutItem"), _failure_queue(failure_queue_id(function_id))],
        # Cognito asks it before a user exists; it reads only its own environment.
        "PreSignUp": [],
    }
    return everyone + specific[function_id]


# Who may use the manage-link key: the API seals a token when it books and opens it to replay an
# idempotent booking; the mailers open it to put the link into emails. Nobody else, whatever
# their IAM policy says (the key policy has no account-wide statement).
KEY_ID = "ManageLinkKey"
KEY_USERS: dict[str, list[str]] = {
    "APIHandler": ["kms:Decrypt", "kms:Encrypt"],
    "OutboxConsumer": ["kms:Decrypt"],
    "ReminderSweep": ["kms:Decrypt"],
    # Calendar secrets (an ICS address, a CalDAV password) are sealed with the same key: the API
    # seals them when a calendar is connected and opens them for "refresh now"; the sync opens them.
    "CalendarSync": ["kms:Decrypt"],
}


def role_of(template: dict[str, Any], function_id: str) -> str:
    return str(template["Resources"][function_id]["Properties"]["Role"]["Fn::GetAtt"][0])


def apply_key_users(template: dict[str, Any]) -> None:
    """Name, in the manage-link key's policy, each role that seals or opens links."""
    resources = template["Resources"]
    if KEY_ID not in resources:
        return
    statements = resources[KEY_ID]["Properties"]["KeyPolicy"]["Statement"]
    for function_id, actions in sorted(KEY_USERS.items()):
        if function_id not in resources:
            continue
        statements.append(
            {
                "Sid": f"{function_id}UsesManageLinks",
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::GetAtt": [role_of(template, function_id), "Arn"]}},
                "Action": actions,
                "Resource": "*",
            }
        )


def apply_grants(template: dict[str, Any]) -> None:
    """Give each function's role its own policy (the role Chalice generated for it)."""
    resources = template["Resources"]
    for function_id, function in sorted(resources.items()):
        if function.get("Type") != FUNCTION_TYPE:
            continue
        try:
            statements = grants(function_id)
        except KeyError:
            raise ValueError(
                f"{function_id} has no entry in infra/roles.py: list what it may do before it can deploy"
            ) from None
        role = resources[role_of(template, function_id)]["Properties"]
        role["Policies"] = [
            {
                "PolicyName": f"{function_id}Policy",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
            }
        ]
