// The cancellation policy as the booking page states it (docs/api.md, "Requests" and the manage
// link): free changes up to the notice; inside it, not online, and whom to ask instead.
import { tr } from "./i18n.js";

const DAY = 1440;
const HOUR = 60;

// "24 hours", "2 days", "90 minutes": whole days from two days up, whole hours, else minutes.
export function durationText(minutes) {
  if (minutes >= 2 * DAY && minutes % DAY === 0) return tr("time.duration.days", { count: minutes / DAY });
  if (minutes >= HOUR && minutes % HOUR === 0) return tr("time.duration.hours", { count: minutes / HOUR });
  return tr("time.duration.minutes", { count: minutes });
}

// Whether a booking at `start` made at `now` is inside the cancellation window.
export function insideWindow(page, start, now = new Date()) {
  return new Date(start).getTime() - now.getTime() < (page.cancellation_notice_minutes || 0) * 60_000;
}

// What the details step says before booking the slot at `start`.
export function policyBefore(page, start, now = new Date()) {
  const minutes = page.cancellation_notice_minutes || 0;
  if (!insideWindow(page, start, now)) {
    return minutes ? tr("book.policy_free", { notice: durationText(minutes) }) : tr("book.policy_until_start");
  }
  const locked = tr("book.policy_locked", { notice: durationText(minutes), provider: page.name });
  const grace = page.change_grace_minutes || 0;
  return grace ? `${locked} ${tr("book.policy_grace", { grace: durationText(grace) })}` : locked;
}

// What the done step says of a booking made inside the window ("" for one made ahead of it).
export function lockedAfter(page, start, now = new Date()) {
  if (!insideWindow(page, start, now)) return "";
  const minutes = page.cancellation_notice_minutes || 0;
  const locked = tr("book.locked_done", { notice: durationText(minutes), provider: page.name });
  const grace = page.change_grace_minutes || 0;
  return grace ? `${locked} ${tr("book.policy_grace", { grace: durationText(grace) })}` : locked;
}
