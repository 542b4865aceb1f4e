import type { TicketDraft } from '../domain/index.js';

/**
 * The tickets of `control-room demo`: review findings and chores of an imaginary web shop's
 * services, the way an automated reviewer and a team file them. Two of them go to the demo's
 * agents (one works on it, one asks for approval); the rest wait in todo, review or done.
 */
export interface DemoTicket extends TicketDraft {
  key: string;
  /** How long ago it was filed, in minutes: the AGE column then reads like a real queue. */
  ageMinutes: number;
}

/** The ticket the working agent is given (it stays busy on it for a while). */
export const DEMO_WORKING_TICKET = 'DEMO-4';
/** The ticket the agent that asks for approval is given. */
export const DEMO_ASKING_TICKET = 'DEMO-7';

/** Oldest first: added in this order, so the list (newest first) shows them in reverse. */
export const DEMO_TICKETS: readonly DemoTicket[] = [
  {
    key: 'DEMO-1',
    title: 'Write the runbook for restoring the orders database from a snapshot',
    severity: 'info',
    state: 'done',
    owner: 'ops',
    ageMinutes: 6 * 24 * 60,
    body:
      'The last restore drill took two hours because the steps lived in one person’s shell ' +
      'history. Write them down: pick the snapshot, restore into a scratch instance, check the ' +
      'row counts against the replica, switch the service over.',
  },
  {
    key: 'DEMO-2',
    title: '[auto-review] coupon codes compared with == instead of a constant-time check',
    severity: 'low',
    state: 'todo',
    location: 'services/checkout/coupons.ts:41',
    flaggedBy: 'claude',
    sourceHash: '4d1c7e90b2a6',
    ageMinutes: 4 * 24 * 60 + 300,
    body:
      'Staff-only coupon codes are compared with `==`. The comparison stops at the first ' +
      'differing character, so response times leak how much of a guessed code is right.',
    suggestedFix:
      'Compare the codes with `crypto.timingSafeEqual` on equal-length buffers, and rate-limit ' +
      'coupon lookups per session.',
  },
  {
    key: 'DEMO-3',
    title: 'Land the retry budget for the shipping-label client',
    severity: 'medium',
    state: 'review',
    owner: 'ops',
    location: 'services/shipping/label-client.ts:112',
    ageMinutes: 3 * 24 * 60,
    body:
      'The agent’s branch `cr/demo-3` caps retries at four with jittered backoff. Read the ' +
      'diff, run `npm test -- label-client`, and merge it if the carrier sandbox tests pass.',
  },
  {
    key: 'DEMO-4',
    title: '[auto-review] refund handler trusts the amount sent by the client',
    severity: 'critical',
    state: 'todo',
    location: 'services/payments/refunds.ts:88',
    flaggedBy: 'codex',
    sourceHash: 'a93f05c8e71d',
    ageMinutes: 2 * 24 * 60 + 120,
    body:
      'POST /refunds takes `amount` from the request body and passes it to the payment ' +
      'provider without comparing it with the captured charge. A support account (or a stolen ' +
      'session) can refund more than the customer paid.',
    suggestedFix:
      'Look the charge up by id, refuse an amount above what was captured minus earlier ' +
      'refunds, and record who asked for the refund.',
  },
  {
    key: 'DEMO-5',
    title: '[auto-review] product search builds its SQL from the sort parameter',
    severity: 'high',
    state: 'todo',
    location: 'services/catalog/search.ts:203',
    flaggedBy: 'claude',
    sourceHash: '0be6d2f4a158',
    ageMinutes: 2 * 24 * 60,
    body:
      'The `sort` query parameter is concatenated into the `ORDER BY` clause. Every other value ' +
      'is bound, but this one reaches the database as written: `?sort=price;DROP TABLE…` runs.',
    suggestedFix:
      'Map the allowed sort names (`price`, `-price`, `newest`, `rating`) to fixed column ' +
      'expressions and answer 400 for anything else.',
  },
  {
    key: 'DEMO-6',
    title: 'Flaky test: cart totals after a currency switch',
    severity: 'medium',
    state: 'todo',
    location: 'test/cart/currency.test.ts:64',
    ageMinutes: 26 * 60,
    body:
      'Fails about one run in twenty on CI with a total off by one cent. The exchange-rate ' +
      'stub is shared between tests and one of them changes it without putting it back.',
  },
  {
    key: 'DEMO-7',
    title: '[auto-review] session cookie lacks Secure and SameSite',
    severity: 'high',
    state: 'todo',
    location: 'services/gateway/session.ts:27',
    flaggedBy: 'codex',
    sourceHash: 'c5e8b3170d92',
    ageMinutes: 20 * 60,
    body:
      'The session cookie is set with `HttpOnly` only. Without `Secure` it is sent over plain ' +
      'HTTP on the legacy status page; without `SameSite` every form is open to cross-site ' +
      'request forgery.',
    suggestedFix:
      'Set `Secure; SameSite=Lax` on the session cookie, and `SameSite=Strict` on the ' +
      'admin one. Check the login flow still works from the payment provider’s redirect.',
  },
  {
    key: 'DEMO-8',
    title: '[auto-review] image resizer reads whole uploads into memory',
    severity: 'medium',
    state: 'todo',
    location: 'services/media/resize.ts:150',
    flaggedBy: 'claude',
    sourceHash: '7f40a1d6e3bc',
    ageMinutes: 9 * 60,
    body:
      'Uploads are buffered completely before resizing. Three 200 MB uploads at once push the ' +
      'worker past its memory limit and it is killed, taking every resize in flight with it.',
    suggestedFix:
      'Refuse uploads above 25 MB early, stream the rest through the resizer, and limit the ' +
      'number of resizes a worker runs at once.',
  },
  {
    key: 'DEMO-9',
    title: '[auto-review] order confirmation dates printed in the server’s time zone',
    severity: 'low',
    state: 'todo',
    location: 'services/mail/templates/order-confirmed.ts:33',
    flaggedBy: 'codex',
    sourceHash: '2e9d6c04f7a1',
    ageMinutes: 4 * 60,
    body:
      'Delivery dates in the confirmation mail are formatted without a zone, so customers in ' +
      'Sydney see tomorrow’s delivery as today’s.',
    suggestedFix: 'Keep the timestamps in UTC and format them in the customer’s own time zone.',
  },
  {
    key: 'DEMO-10',
    title: 'Rotate the payment provider’s webhook secret before the audit',
    severity: 'high',
    state: 'todo',
    ageMinutes: 45,
    body:
      'The webhook secret has not changed since launch. Issue a new one in the provider’s ' +
      'dashboard, accept both for a day, then remove the old one from the vault.',
  },
];
