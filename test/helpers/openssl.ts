/** Checking a signed document as any recipient can, with OpenSSL and nothing of ours. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Verifies a detached CMS signature (base64) over a document with `openssl cms -verify … -CAfile`, so the
 * signer's certificate must chain to `caPem`; throws when it does not verify. Answers the certificate the
 * signature carries (PEM, as OpenSSL writes it) and its subject.
 */
export function opensslVerify(document: string | Buffer, cmsBase64: string, caPem: string): { signerPem: string; subject: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openssl-'));
  fs.writeFileSync(path.join(dir, 'doc'), document);
  fs.writeFileSync(path.join(dir, 'sig'), Buffer.from(cmsBase64, 'base64'));
  fs.writeFileSync(path.join(dir, 'ca.pem'), caPem);
  const verify = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig', '-content', 'doc', '-CAfile', 'ca.pem', '-out', '/dev/null'];
  execFileSync('openssl', [...verify, '-certsout', 'signer.pem'], { cwd: dir, stdio: 'pipe' });
  const subject = execFileSync('openssl', ['x509', '-in', 'signer.pem', '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const signerPem = fs.readFileSync(path.join(dir, 'signer.pem'), 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return { signerPem, subject: subject.trim() };
}

/** Whether OpenSSL refuses the signature. */
export function opensslRefuses(document: string | Buffer, cmsBase64: string, caPem: string): boolean {
  try {
    opensslVerify(document, cmsBase64, caPem);
    return false;
  } catch {
    return true;
  }
}
