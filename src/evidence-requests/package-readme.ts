/** README.txt of every evidence package: how a police unit or a court checks it, offline, with nothing but Node. */
export const README = `TAKEDOWN EXCHANGE — EVIDENCE PACKAGE

This package holds the records of the links named by one police evidence request, and every audit event of those
links and of the request, exactly as the exchange stored them.

Files
  manifest.json          the request, when the package was made, each other file's name, size and SHA-256, the
                         signed audit checkpoint (tree size, Merkle root, time) every event is proven against, and
                         what was withheld
  manifest.sig           base64 Ed25519 signature of the exact bytes of manifest.json
  keys.json              the exchange's Ed25519 public key(s) (JWK) as of the export; compare with the key the
                         exchange publishes at GET /v1/audit/keys, or with the one you received separately
  links.jsonl, links.csv the links of the request (the same records in two forms; see "links.csv" below)
  seller-records.jsonl   seller records given by the marketplaces that fulfilled the request
  audit-events.jsonl     one event per line: {seq, leafIndex, canonical, entryHash, inclusionProof}
  README.txt             this text
The ZIP holds these files and nothing else, each once: the verifier refuses any other entry, a second copy of a
name, and names that only look alike.

What is withheld
  The package holds only the parts of marketplaces that answered fulfil. The manifest's "withheld" lists the
  others (the marketplaces that declined) with their link counts; their links, seller records and events are not in
  the package.

links.csv
  links.csv is computed from links.jsonl. It is UTF-8 and begins with a byte-order mark, so a spreadsheet reads it
  as UTF-8. Every cell that begins with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe (');
  bidirectional control characters (U+061C, U+200E, U+200F, U+202A–U+202E,
  U+2066–U+2069) are written visibly as <U+XXXX>; then cells containing a comma, a double quote, CR or LF are quoted
  with double quotes doubled (RFC 4180). The raw values are exact in links.jsonl.
  Its columns: id, batchId, marketplaceId, url, canonicalUrl, listingKey, status, statusReason, createdAt, dueAt,
  resolvedAt, relisted, sellerRef, sellerName, title, source, reportId. A null is an empty cell. source is
  "ministry" for a link a ministry sent in a batch and "marketplace" for one a marketplace reported taking down on
  its own initiative; only the latter has a reportId, and it has no batchId and no dueAt. In links.jsonl a
  marketplace's link carries "source" and "reportId" as its last fields; a ministry's link has neither. A
  taken-down link whose latest observation (by its time) found the listing online again ends with
  "reappeared": true, replayed from its link.observed events; links.csv has no column for it. A takedown that
  carried the marketplace's statement of reasons ends with "decision" (what was done to the listing and the
  account, on which ground, how far automated); a link reinstated by an upheld objection has status "reinstated",
  the ministry's note as its statusReason, and a dueAt moved on by the time an objection stopped its clock. A link
  other ministries also sent while it was open ends with "coNotifiers": their agency ids, sorted, replayed from its
  link.co_notified events. A link the ministry sent urgent has "priority": "urgent" after its priorLinkIds (its
  dueAt then came from the marketplace's hours for urgent links); a normal link has no priority field, and
  links.csv has no column for it.

How to verify
  You need Node.js 20 or later, and nothing else: the verifier is one file using only Node's standard library.

  1. Get the verifier from the exchange (no account needed) and check its SHA-256:
       curl -O https://<the exchange>/verify-evidence.cjs
       curl https://<the exchange>/verify-evidence.cjs.sha256 | sha256sum -c
     (on macOS: ... | shasum -a 256 -c). On a laptop with only Node, print the SHA-256 and compare it with the
     first word of https://<the exchange>/verify-evidence.cjs.sha256:
       node -e "console.log(require('crypto').createHash('sha256').update(require('fs').readFileSync('verify-evidence.cjs')).digest('hex'))"

  2. Get the exchange's public keys, GET /v1/audit/keys (readable by any account of the exchange), into
     audit-keys.json, or take the key file the exchange gave you separately:
       curl -H "Authorization: Bearer <token>" -o audit-keys.json https://<the exchange>/v1/audit/keys

  3. Run, with this package saved as evidence.zip:
       node verify-evidence.cjs evidence.zip --key audit-keys.json
     It prints each check and exits 0 if the package is verified, 1 if it is refused, 2 on a usage error.
     No network and no database are needed. Without --key it checks against the package's own keys.json, which
     shows the package is intact but not who signed it. Do not run a verifier fetched under a package name from a
     public registry: use the file the exchange serves, checked as above.

What is checked
  1. the ZIP is well formed and holds exactly manifest.json, manifest.sig and the files the manifest lists;
  2. manifest.sig is a valid signature of manifest.json by the given key;
  3. every file's size and SHA-256 match the manifest;
  4. the checkpoint's note is signed by the same key and states the tree size and root in the manifest;
  5. for every audit event: SHA-256(0x00 || canonical) equals entryHash, seq and leafIndex agree, and the inclusion
     proof (RFC 9162) leads from entryHash to the checkpoint's root;
  6. every link in links.jsonl has its events in audit-events.jsonl.
The canonical text of an event is its RFC 8785 (JCS) JSON; each names the previous event's hash ("prev"), so the
events also form a hash chain.
`;
