import { describe, expect, it } from 'vitest';
import { encodeCommand, parseReply } from './redis.js';

describe('RESP: the bench talks to Redis without a client library', () => {
  it('encodes a command as an array of bulk strings, lengths in bytes', () => {
    expect(encodeCommand(['DEL', 'parley:bus', 'é'])).toBe('*3\r\n$3\r\nDEL\r\n$10\r\nparley:bus\r\n$2\r\né\r\n');
  });

  it('parses simple strings, errors, integers, bulk strings and nulls', () => {
    expect(parseReply(Buffer.from('+PONG\r\n'))).toEqual({ value: 'PONG', next: 7 });
    const error = parseReply(Buffer.from('-ERR DB index is out of range\r\n'))?.value;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('ERR DB index is out of range');
    expect(parseReply(Buffer.from(':3\r\n'))?.value).toBe(3);
    expect(parseReply(Buffer.from('$11\r\nprocess_id:\r\n'))?.value).toBe('process_id:');
    expect(parseReply(Buffer.from('$-1\r\n'))?.value).toBeNull();
  });

  it('parses nested arrays and says where the next reply starts', () => {
    const data = Buffer.from('*2\r\n:1\r\n*1\r\n$2\r\nok\r\n+OK\r\n');
    const first = parseReply(data);
    expect(first?.value).toEqual([1, ['ok']]);
    expect(parseReply(data, first?.next)?.value).toBe('OK');
  });

  it('waits for more bytes when a reply is incomplete', () => {
    expect(parseReply(Buffer.from('$5\r\nab'))).toBeNull();
    expect(parseReply(Buffer.from('*2\r\n:1\r\n'))).toBeNull();
    expect(parseReply(Buffer.from('+PON'))).toBeNull();
  });
});
