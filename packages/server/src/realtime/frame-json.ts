/**
 * Serialising each event once on the send path. A sent message goes out twice from this
 * instance: in its `message.created` frame (the hub, once for all recipients) and in the
 * sender's reply, whose result is the very same presented object. The hub remembers the
 * JSON of the message it serialised, and the reply reuses it: the text is identical to
 * `JSON.stringify` of the whole frame, built from parts.
 */

/** JSON of objects already serialised for a frame; presented payloads are not changed after publication. */
const serialised = new WeakMap<object, string>();

const jsonOf = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  let json = serialised.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    serialised.set(value, json);
  }
  return json;
};

/** `data` of message events is `{ message }`: the message's JSON is kept for the reply. */
function dataJson(data: unknown): string {
  if (data !== null && typeof data === 'object' && 'message' in data && Object.keys(data).length === 1)
    return `{"message":${jsonOf((data as { message: unknown }).message)}}`;
  return JSON.stringify(data) ?? 'null';
}

/** The same bytes as `JSON.stringify({ type: 'event', event, stream, seq, data })`. */
export const storedEventFrame = (event: string, stream: string, seq: number, data: unknown): Buffer =>
  Buffer.from(`{"type":"event","event":${JSON.stringify(event)},"stream":${JSON.stringify(stream)},"seq":${seq},"data":${dataJson(data)}}`);

/** The same bytes as `JSON.stringify({ type: 'result', id, result })`; a message just published is not serialised again. */
export const resultFrame = (id: string, result: unknown): Buffer =>
  Buffer.from(`{"type":"result","id":${JSON.stringify(id)},"result":${jsonOf(result)}}`);
