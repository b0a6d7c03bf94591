import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CombinationKeyConfig } from '../config.js';

/** A combination's secret, sealed: what the database holds (no byte of it in clear). */
export interface SealedKey {
  /** Which master key wrapped the data key (rotation: older ids stay readable). */
  keyId: string;
  /** The per-combination data key, AES-256-GCM under the master key (base64 iv|tag|ciphertext). */
  wrappedKey: string;
}

const IV = 12;
const TAG = 16;

function seal(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV + TAG) throw new Error('sealed combination data is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(sealed.subarray(IV + TAG)), decipher.final()]);
}

/**
 * Envelope encryption of combinations (issue 14): each combination gets its own AES-256-GCM data
 * key; the data key is stored wrapped by the configured master key, never in clear. The
 * combination's id is bound into both as associated data, so a sealed value moved to another
 * row does not open.
 */
export function createCombinationVault(cfg: CombinationKeyConfig) {
  const masters = new Map(cfg.keys.map((k) => [k.id, k.key]));
  const current = cfg.keys[0];

  function dataKeyOf(id: string, sealed: SealedKey): Buffer {
    const master = masters.get(sealed.keyId);
    if (!master) throw new Error(`combination ${id} is wrapped by master key "${sealed.keyId}", which is not configured (COMBINATION_PREVIOUS_KEYS)`);
    return open(master, Buffer.from(sealed.wrappedKey, 'base64'), `latch-combination-key:v1:${id}`);
  }

  return {
    /** A fresh data key for combination `id`, wrapped; `encrypt` seals the secret with it. */
    newKey(id: string): SealedKey & { encrypt(plain: Buffer): Buffer } {
      if (!current) throw new Error('no combination master key is configured (COMBINATION_KEY)');
      const dataKey = randomBytes(32);
      return {
        keyId: current.id,
        wrappedKey: seal(current.key, dataKey, `latch-combination-key:v1:${id}`).toString('base64'),
        encrypt: (plain) => seal(dataKey, plain, `latch-combination:v1:${id}`),
      };
    },
    decrypt(id: string, key: SealedKey, sealed: Buffer): Buffer {
      return open(dataKeyOf(id, key), sealed, `latch-combination:v1:${id}`);
    },
  };
}

export type CombinationVault = ReturnType<typeof createCombinationVault>;
