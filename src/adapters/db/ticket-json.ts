/**
 * Tickets as the JSON of `cli.md`, built by SQLite itself. `tickets list --json` of 100,000
 * tickets must stay under a second: making 100,000 objects in JavaScript and stringifying them
 * costs several times that in allocation and GC. A test holds this to the same shape, field for
 * field, as `ticketFromRow`.
 */
const TICKET_JSON = `json_object(
  'key', t.key,
  'title', t.title,
  'severity', t.severity,
  'state', t.state,
  'owner', t.owner,
  'location', t.location,
  'flaggedBy', t.flagged_by,
  'sourceHash', t.source_hash,
  'body', t.body,
  'suggestedFix', t.suggested_fix,
  'runtime', CASE WHEN t.runtime_host IS NULL OR t.runtime_id IS NULL THEN NULL ELSE json_object(
    'host', t.runtime_host, 'id', t.runtime_id, 'name', t.runtime_name,
    'adopted', json(CASE WHEN t.runtime_adopted = 1 THEN 'true' ELSE 'false' END)) END,
  'lastError', json(t.last_error),
  'messages', (SELECT json_group_array(json_object(
      'id', m.id, 'state', m.state, 'runtime', m.host || ':' || m.runtime_id, 'error', m.error))
    FROM (SELECT * FROM messages WHERE ticket_seq = t.seq ORDER BY created_at, rowid) AS m),
  'events', (SELECT json_group_array(json_object('at', e.at, 'type', e.type, 'text', e.text))
    FROM (SELECT t.created_at AS at, 'created' AS type, t.origin AS text, 0 AS id
          UNION ALL SELECT at, type, text, id FROM events WHERE ticket_seq = t.seq
          ORDER BY id) AS e),
  'createdAt', t.created_at,
  'updatedAt', t.updated_at
)`;

// As BLOBs: UTF-8 bytes straight from SQLite to stdout, never decoded into JavaScript strings
// and encoded again. A range of seq (newest first) lets several readers share one listing.
export const TICKET_JSON_RANGE = `SELECT CAST(${TICKET_JSON} AS BLOB) FROM tickets AS t
  WHERE t.seq > @after AND t.seq <= @upTo AND (@state IS NULL OR t.state = @state)
  ORDER BY t.seq DESC`;
