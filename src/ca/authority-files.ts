// The signing CA from files (the kxds-ca Secret mounted into kxds's pods: tls.crt, tls.key, and the trust
// bundle ca.crt), re-read when a file changes, so a CA the leader renewed or rotated signs at once, with no
// restart. A set that does not load keeps the previous one (a Secret update swaps files one by one).
import * as fs from 'node:fs';
import { loadCertificateAuthority } from '../certs/authority';
import type { SigningAuthority } from './sign-service';

export interface CaFiles {
  certFile: string;
  keyFile: string;
  bundleFile: string;
}

function stamp(files: CaFiles): string {
  return [files.certFile, files.keyFile, files.bundleFile]
    .map((file) => {
      const s = fs.statSync(file, { throwIfNoEntry: false });
      return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'missing';
    })
    .join('|');
}

export class SigningAuthorityFiles {
  private loaded?: { stamp: string; authority: SigningAuthority };

  constructor(private readonly files: CaFiles) {}

  async current(): Promise<SigningAuthority> {
    const now = stamp(this.files);
    if (this.loaded?.stamp === now) return this.loaded.authority;
    try {
      const read = (file: string): string => fs.readFileSync(file, 'utf8');
      const ca = await loadCertificateAuthority(read(this.files.certFile), read(this.files.keyFile));
      const authority = { ca, trustBundle: read(this.files.bundleFile) };
      this.loaded = { stamp: now, authority };
      return authority;
    } catch (err) {
      if (this.loaded) return this.loaded.authority;
      throw new Error(
        `signing CA ${this.files.certFile}, ${this.files.keyFile}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
