/** README.txt of every evidence package: how a police unit or a court checks it, offline. */
export const README = `TAKEDOWN EXCHANGE — EVIDENCE PACKAGE

This package holds the records of the links named by one police evidence request, and every audit event of those
links and of the request, exactly as the exchange stored them.

Files
  manifest.json          the request, when the package was made, each file's name, size and SHA-256, and the signed
                         audit checkpoint (tree size, Merkle root, time) every event is proven against
  manifest.sig           base64 Ed25519 signature of the exact bytes of manifest.json
  keys.json              the exchange's Ed25519 public key(s) (JWK) as of the export; compare with the key the
                         exchange publishes at GET /v1/audit/keys, or with the one you received separately
  links.jsonl, links.csv the links of the request (the same records in two forms)
  seller-records.jsonl   seller records given by the marketplaces that fulfilled the request
  audit-events.jsonl     one event per line: {seq, leafIndex, canonical, entryHash, inclusionProof}

How to verify
  npm run verify-evidence -- <this file.zip> --key <public key PEM, or a JWKS file>
  (or: npx takedown-verify-evidence <this file.zip> --key ...). No network and no database are needed.

What is checked
  1. manifest.sig is a valid signature of manifest.json by the given key;
  2. every file's size and SHA-256 match the manifest;
  3. the checkpoint's note is signed by the same key and states the tree size and root in the manifest;
  4. for every audit event: SHA-256(0x00 || canonical) equals entryHash, seq and leafIndex agree, and the inclusion
     proof (RFC 9162) leads from entryHash to the checkpoint's root;
  5. every link in links.jsonl has its events in audit-events.jsonl.
The canonical text of an event is its RFC 8785 (JCS) JSON; each names the previous event's hash ("prev"), so the
events also form a hash chain.
`;
