/**
 * Days the New York Stock Exchange is closed all day, from the NYSE's published holiday calendars
 * (nyse.com/markets/hours-calendars) for 2020–2027, plus the years the bundled real data covers most
 * (2008–2013, 2010 for the Flash Crash). A year missing here is treated as open on every weekday: add
 * the next year's row when the NYSE publishes it. Early closes (13:00) are not modelled.
 */
const NYSE_HOLIDAYS: Readonly<Record<string, string>> = {
  // 2010
  '2010-01-01': "New Year's Day",
  '2010-01-18': 'Martin Luther King Jr. Day',
  '2010-02-15': "Washington's Birthday",
  '2010-04-02': 'Good Friday',
  '2010-05-31': 'Memorial Day',
  '2010-07-05': 'Independence Day (observed)',
  '2010-09-06': 'Labor Day',
  '2010-11-25': 'Thanksgiving Day',
  '2010-12-24': 'Christmas Day (observed)',
  // 2013
  '2013-01-01': "New Year's Day",
  '2013-01-21': 'Martin Luther King Jr. Day',
  '2013-02-18': "Washington's Birthday",
  '2013-03-29': 'Good Friday',
  '2013-05-27': 'Memorial Day',
  '2013-07-04': 'Independence Day',
  '2013-09-02': 'Labor Day',
  '2013-11-28': 'Thanksgiving Day',
  '2013-12-25': 'Christmas Day',
  // 2020
  '2020-01-01': "New Year's Day",
  '2020-01-20': 'Martin Luther King Jr. Day',
  '2020-02-17': "Washington's Birthday",
  '2020-04-10': 'Good Friday',
  '2020-05-25': 'Memorial Day',
  '2020-07-03': 'Independence Day (observed)',
  '2020-09-07': 'Labor Day',
  '2020-11-26': 'Thanksgiving Day',
  '2020-12-25': 'Christmas Day',
  // 2021
  '2021-01-01': "New Year's Day",
  '2021-01-18': 'Martin Luther King Jr. Day',
  '2021-02-15': "Washington's Birthday",
  '2021-04-02': 'Good Friday',
  '2021-05-31': 'Memorial Day',
  '2021-07-05': 'Independence Day (observed)',
  '2021-09-06': 'Labor Day',
  '2021-11-25': 'Thanksgiving Day',
  '2021-12-24': 'Christmas Day (observed)',
  // 2022
  '2022-01-17': 'Martin Luther King Jr. Day',
  '2022-02-21': "Washington's Birthday",
  '2022-04-15': 'Good Friday',
  '2022-05-30': 'Memorial Day',
  '2022-06-20': 'Juneteenth (observed)',
  '2022-07-04': 'Independence Day',
  '2022-09-05': 'Labor Day',
  '2022-11-24': 'Thanksgiving Day',
  '2022-12-26': 'Christmas Day (observed)',
  // 2023
  '2023-01-02': "New Year's Day (observed)",
  '2023-01-16': 'Martin Luther King Jr. Day',
  '2023-02-20': "Washington's Birthday",
  '2023-04-07': 'Good Friday',
  '2023-05-29': 'Memorial Day',
  '2023-06-19': 'Juneteenth',
  '2023-07-04': 'Independence Day',
  '2023-09-04': 'Labor Day',
  '2023-11-23': 'Thanksgiving Day',
  '2023-12-25': 'Christmas Day',
  // 2024
  '2024-01-01': "New Year's Day",
  '2024-01-15': 'Martin Luther King Jr. Day',
  '2024-02-19': "Washington's Birthday",
  '2024-03-29': 'Good Friday',
  '2024-05-27': 'Memorial Day',
  '2024-06-19': 'Juneteenth',
  '2024-07-04': 'Independence Day',
  '2024-09-02': 'Labor Day',
  '2024-11-28': 'Thanksgiving Day',
  '2024-12-25': 'Christmas Day',
  // 2025
  '2025-01-01': "New Year's Day",
  '2025-01-09': 'National Day of Mourning for President Carter',
  '2025-01-20': 'Martin Luther King Jr. Day',
  '2025-02-17': "Washington's Birthday",
  '2025-04-18': 'Good Friday',
  '2025-05-26': 'Memorial Day',
  '2025-06-19': 'Juneteenth',
  '2025-07-04': 'Independence Day',
  '2025-09-01': 'Labor Day',
  '2025-11-27': 'Thanksgiving Day',
  '2025-12-25': 'Christmas Day',
  // 2026
  '2026-01-01': "New Year's Day",
  '2026-01-19': 'Martin Luther King Jr. Day',
  '2026-02-16': "Washington's Birthday",
  '2026-04-03': 'Good Friday',
  '2026-05-25': 'Memorial Day',
  '2026-06-19': 'Juneteenth',
  '2026-07-03': 'Independence Day (observed)',
  '2026-09-07': 'Labor Day',
  '2026-11-26': 'Thanksgiving Day',
  '2026-12-25': 'Christmas Day',
  // 2027
  '2027-01-01': "New Year's Day",
  '2027-01-18': 'Martin Luther King Jr. Day',
  '2027-02-15': "Washington's Birthday",
  '2027-03-26': 'Good Friday',
  '2027-05-31': 'Memorial Day',
  '2027-06-18': 'Juneteenth (observed)',
  '2027-07-05': 'Independence Day (observed)',
  '2027-09-06': 'Labor Day',
  '2027-11-25': 'Thanksgiving Day',
  '2027-12-24': 'Christmas Day (observed)',
};

/** Why the market is shut on a New York calendar day, or undefined when it trades. */
export type MarketClosure =
  | { readonly kind: 'weekend'; readonly day: string }
  | { readonly kind: 'holiday'; readonly day: string; readonly name: string };

/** `day` is a New York calendar day `YYYY-MM-DD`. */
export function marketClosureOn(day: string): MarketClosure | undefined {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return { kind: 'weekend', day };
  const name = NYSE_HOLIDAYS[day];
  return name === undefined ? undefined : { kind: 'holiday', day, name };
}

export function isTradingDay(day: string): boolean {
  return marketClosureOn(day) === undefined;
}
