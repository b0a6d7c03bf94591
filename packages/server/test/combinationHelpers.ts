import assert from 'node:assert/strict';
import type { App } from '../src/http/types.js';
import type { Session } from './helpers.js';

/** A tiny real PNG (1×1), with a marker in a text chunk so its bytes can be searched for. */
export function markedPng(marker: string): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('tEXt', Buffer.from(`Comment\0${marker}`, 'latin1')), chunk('IEND', Buffer.alloc(0))]);
}

/** `POST /api/combinations/pictures` (or another picture upload `url`) as `who`, the bytes in the multipart field `field`. */
export function uploadPicture(app: App, who: Session, bytes: Buffer, field = 'file', url = '/api/combinations/pictures') {
  const boundary = `----latch${Date.now().toString(16)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="combo.png"\r\nContent-Type: image/png\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

/** Every form a secret could leak in: as is, base64, base64url, hex. */
export function secretForms(secret: string | Buffer): string[] {
  const b = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  const forms = [b.toString('base64'), b.toString('base64url'), b.toString('hex')];
  if (!Buffer.isBuffer(secret)) forms.unshift(secret);
  return forms;
}

export function assertAbsent(haystack: string | Buffer, secret: string, where: string) {
  const text = Buffer.isBuffer(haystack) ? haystack.toString('latin1') : haystack;
  for (const form of secretForms(secret)) assert.equal(text.includes(form), false, `${where} contains the combination (${form})`);
}

