"""Cognito's pre-sign-up trigger: the ``pre_sign_up`` function of app.py, wired to the user pool.

The pool names the function (through its alias) and the function must not name the pool back, or
CloudFormation sees a cycle. So the environment the template gives every function (Globals, which
names the pool for token checks) is copied onto each function except the trigger, which gets only
the sign-up policy it enforces.
"""

from __future__ import annotations

from typing import Any

from infra.deployment import alias_ref
from infra.monitoring import functions

TRIGGER_ID = "PreSignUp"
USER_POOL_ID = "UserPool"
TRIGGER_ENV = ("SIGNUP_POLICY", "SIGNUP_ALLOWLIST")


def scope_environment(template: dict[str, Any]) -> None:
    """Globals' variables onto each function (the trigger gets only the sign-up policy)."""
    function_globals = template.get("Globals", {}).get("Function", {})
    shared: dict[str, Any] = function_globals.pop("Environment", {}).get("Variables", {})
    for function_id, function in functions(template).items():
        own = function["Properties"].setdefault("Environment", {}).setdefault("Variables", {})
        wanted = {k: v for k, v in shared.items() if function_id != TRIGGER_ID or k in TRIGGER_ENV}
        function["Properties"]["Environment"]["Variables"] = {**own, **wanted}


def wire_pre_sign_up(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    if TRIGGER_ID not in resources or USER_POOL_ID not in resources:
        return
    pool = resources[USER_POOL_ID]["Properties"]
    pool["LambdaConfig"] = {"PreSignUp": alias_ref(TRIGGER_ID)}
    resources[f"{TRIGGER_ID}CognitoPermission"] = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": alias_ref(TRIGGER_ID),
            "Principal": "cognito-idp.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": [USER_POOL_ID, "Arn"]},
        },
    }
