// This month's figures from the month's appointments. Pure: easy to check by hand.
//   bookings:     appointments that were not cancelled
//   revenue:      prices of the kept ones (booked or completed), by currency; no-shows excluded
//   no-show rate: no-shows among the appointments that have been settled (completed or no-show)

export function monthFigures(appointments) {
  const kept = appointments.filter((a) => a.status !== "cancelled");
  const revenue = {};
  for (const a of kept) {
    if (a.status === "no_show" || a.price === undefined || a.price === null) continue;
    const currency = a.currency || "";
    revenue[currency] = (revenue[currency] || 0) + Number(a.price);
  }
  const noShows = kept.filter((a) => a.status === "no_show").length;
  const settled = noShows + kept.filter((a) => a.status === "completed").length;
  return { bookings: kept.length, revenue, noShowRate: settled ? noShows / settled : null, settled };
}
