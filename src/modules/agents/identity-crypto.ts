import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedId {
  idCipher: string;
  idKeyId: string;
}

/**
 * Identity numbers at rest: AES-256-GCM under the active key (a fresh 96-bit nonce per value),
 * stored as base64(iv ‖ tag ‖ ciphertext) with the key id beside it so that keys can rotate; and a
 * keyed HMAC-SHA-256 (under a separate key, truncated to 128 bits) to find equal numbers without
 * decrypting anything.
 */
export class IdentityCipher {
  private ivPool = Buffer.alloc(0);
  private ivOffset = 0;

  constructor(
    private readonly keys: Record<string, Buffer>,
    readonly activeKeyId: string,
    private readonly hmacKey: Buffer,
  ) {
    if (!keys[activeKeyId]) throw new Error(`identity key ${activeKeyId} is not configured`);
  }

  static fromConfig(config: Pick<AppConfig, 'idKeys' | 'idActiveKeyId' | 'idHmacKey'>): IdentityCipher {
    return new IdentityCipher(config.idKeys, config.idActiveKeyId, config.idHmacKey);
  }

  /** Nonces come from one randomBytes call per 4,096 values: bulk imports encrypt millions. */
  private nextIv(): Buffer {
    if (this.ivOffset + IV_BYTES > this.ivPool.length) {
      this.ivPool = randomBytes(IV_BYTES * 4096);
      this.ivOffset = 0;
    }
    const iv = this.ivPool.subarray(this.ivOffset, this.ivOffset + IV_BYTES);
    this.ivOffset += IV_BYTES;
    return iv;
  }

  encrypt(normalized: string): SealedId {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.keys[this.activeKeyId], iv);
    const ct = Buffer.concat([cipher.update(normalized, 'utf8'), cipher.final()]);
    return { idCipher: Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64'), idKeyId: this.activeKeyId };
  }

  /** Throws when the key id is unknown or the value was tampered with (GCM authentication). */
  decrypt(idCipher: string, idKeyId: string): string {
    const key = this.keys[idKeyId];
    if (!key) throw new Error(`identity key ${idKeyId} is not configured`);
    const raw = Buffer.from(idCipher, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /**
   * 128 bits of the HMAC tell identities apart (a chance collision among a hundred million is
   * about 1 in 10^22) and keep the idHash index, which every write touches, small.
   */
  hash(normalized: string): string {
    return createHmac('sha256', this.hmacKey).update(normalized, 'utf8').digest().subarray(0, 16).toString('base64url');
  }

  hasKey(idKeyId: string): boolean {
    return !!this.keys[idKeyId];
  }
}

const cache = new WeakMap<object, IdentityCipher>();

/** One cipher per config object (the nonce pool is per instance). */
export function identityCipher(config: AppConfig): IdentityCipher {
  let c = cache.get(config);
  if (!c) {
    c = IdentityCipher.fromConfig(config);
    cache.set(config, c);
  }
  return c;
}
