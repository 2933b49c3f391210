export const id = 310;
export const ids = [310];
export const modules = {

/***/ 39124:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P8: () => (/* binding */ basename),
/* harmony export */   Yr: () => (/* binding */ isSpdxExpression),
/* harmony export */   ZZ: () => (/* binding */ field),
/* harmony export */   j5: () => (/* binding */ stanzas),
/* harmony export */   kw: () => (/* binding */ parseStanzas),
/* harmony export */   pD: () => (/* binding */ dirname),
/* harmony export */   uJ: () => (/* binding */ relateByName)
/* harmony export */ });
/* harmony import */ var spdx_expression_parse__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(93326);

function isSpdxExpression(text) {
    try {
        spdx_expression_parse__WEBPACK_IMPORTED_MODULE_0__(text);
        return true;
    }
    catch {
        return false;
    }
}
function basename(path) {
    return path.slice(path.lastIndexOf('/') + 1);
}
function dirname(path) {
    const i = path.lastIndexOf('/');
    return i <= 0 ? '/' : path.slice(0, i);
}
// RFC 822-style stanzas (dpkg status, Python METADATA headers): "Key: value"
// with continuation lines starting with whitespace. Repeated keys accumulate.
function parseStanzas(text) {
    return [...stanzas(text)];
}
// The same, one stanza at a time and one line at a time (no array of every
// line of a big file), so a caller can stop early.
function* stanzas(text) {
    let current = new Map();
    let last;
    for (let start = 0; start <= text.length;) {
        let end = text.indexOf('\n', start);
        if (end === -1)
            end = text.length;
        const line = text.slice(start, end);
        start = end + 1;
        if (line.trim() === '') {
            if (current.size > 0)
                yield current;
            current = new Map();
            last = undefined;
            continue;
        }
        if ((line[0] === ' ' || line[0] === '\t') && last) {
            last[last.length - 1] += '\n' + line.trim();
            continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const key = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        last = current.get(key);
        if (last)
            last.push(value);
        else
            current.set(key, (last = [value]));
    }
    if (current.size > 0)
        yield current;
}
function field(stanza, key) {
    return stanza.get(key)?.[0];
}
// Edges by name within one database: `requires` entries point at the package
// with that name, or failing that one that provides it.
function relateByName(packages, scope, key = (n) => n) {
    const byScope = new Map();
    for (const p of packages) {
        let names = byScope.get(scope(p));
        if (!names)
            byScope.set(scope(p), (names = new Map()));
        for (const v of p.provides ?? [])
            if (!names.has(key(v)))
                names.set(key(v), p);
    }
    // Real names win over provides.
    for (const p of packages)
        byScope.get(scope(p)).set(key(p.name), p);
    const edges = [];
    for (const p of packages) {
        const names = byScope.get(scope(p));
        const seen = new Set();
        for (const r of p.requires ?? []) {
            const to = names.get(key(r));
            if (to && to !== p && !seen.has(to)) {
                seen.add(to);
                edges.push({ from: p, to });
            }
        }
    }
    return edges;
}


/***/ }),

/***/ 29000:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ purl)
/* harmony export */ });
/* harmony import */ var packageurl_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(87091);

// packageurl-js prints undefined qualifiers as the string "undefined": drop them.
function purl(type, namespace, name, version, qualifiers = {}) {
    const q = {};
    for (const [k, v] of Object.entries(qualifiers))
        if (v !== undefined && v !== '')
            q[k] = v;
    return new packageurl_js__WEBPACK_IMPORTED_MODULE_0__.PackageURL(type, namespace, name, version, Object.keys(q).length ? q : undefined, undefined).toString();
}


/***/ }),

/***/ 7607:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ cpesFor)
/* harmony export */ });
// CPE 2.3 candidates for a package, generated from its own name, version
// and group the way vulnerability scanners expect to find them (the same
// shape syft emits, so a scanner matching syft's SBOMs matches ours): the
// first is the primary CPE (CycloneDX `cpe`), the rest are alternatives.
// No dictionary: a product NVD names differently from its package keeps
// only the generated candidates.
// Formatted-string escaping: only letters, digits, '.', '-' and '_' stand
// unquoted; everything else (':', '+', '~', ...) gets a backslash.
const quote = (s) => s.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`);
// Case is kept, as syft keeps it (rxjs/webSocket).
const field = (s) => quote(s.trim().replace(/\s+/g, '_'));
function format(vendor, product, version, update = '*') {
    const v = version && version !== '(devel)' && version !== 'UNKNOWN' ? quote(version) : '*';
    return `cpe:2.3:a:${field(vendor)}:${field(product)}:${v}:${update}:*:*:*:*:*:*`;
}
const underscored = (s) => s.replace(/-/g, '_');
const hyphenated = (s) => s.replace(/_/g, '-');
const uniq = (xs) => [...new Set(xs.filter((x) => x.length > 0))];
/** The name and its '_' and '-' spellings (string_decoder is also string-decoder). */
const spellings = (name) => uniq([name, underscored(name), hyphenated(name)]);
/** 'a-b-c' → 'a-b', 'a': the name without its trailing parts, longest first, each in both spellings. */
function prefixes(name) {
    const parts = name.split(/[-_]/);
    const out = [];
    for (let n = parts.length - 1; n >= 1; n--) {
        out.push(...spellings(parts.slice(0, n).join('-')));
    }
    return out;
}
// syft ranks candidates most specific first: the longest vendor + product,
// then by text; ranking ours the same way makes the primaries agree.
function cross(vendors, products, version) {
    const out = [];
    for (const v of uniq(vendors))
        for (const p of uniq(products))
            out.push({ cpe: format(v, p, version), length: v.length + p.length });
    out.sort((a, b) => b.length - a.length || (a.cpe < b.cpe ? -1 : a.cpe > b.cpe ? 1 : 0));
    return uniq(out.map((c) => c.cpe));
}
function goCpes(p) {
    if (p.name === 'stdlib')
        return [format('golang', 'go', p.version.replace(/^go/, ''), '-')];
    const parts = p.name.split('/');
    if (parts.length < 2)
        return [];
    const product = parts[parts.length - 1];
    // golang.org/x/* are the Go project's own modules
    const vendor = parts[0] === 'golang.org' && parts[1] === 'x' ? 'golang' : parts[parts.length - 2];
    return [format(vendor, product, p.version)];
}
function javaCpes(p) {
    const group = p.group ?? '';
    const name = p.name;
    // Apache Commons and other org.apache artifacts are named by NVD under vendor apache, product per word.
    if (group.startsWith('org.apache') || group.startsWith('commons-')) {
        return cross(['apache'], [...spellings(name), ...(name.includes('-') ? name.split('-') : [])], p.version);
    }
    const groupVendors = group ? [group, group.split('.').pop()] : [];
    return cross([...spellings(name), ...groupVendors.filter((g) => !['com', 'org', 'net', 'io'].includes(g)), ...prefixes(name)], spellings(name), p.version);
}
// A scoped name stays whole ('@babel/core' is vendor and product, '@' and
// '/' quoted), as syft generates it: the scope alone names no product.
function npmCpes(p) {
    return cross([...spellings(p.name), ...prefixes(p.name)], spellings(p.name), p.version);
}
function pythonCpes(p) {
    const name = p.name.toLowerCase();
    // syft's order without an author: the python- spelling first
    const products = [...spellings(`python-${name}`), ...spellings(name)];
    return cross([...spellings(`python-${name}`), ...spellings(name), ...prefixes(name), 'python'], products, p.version);
}
function phpCpes(p) {
    const [vendor, product] = p.name.includes('/') ? p.name.split('/', 2) : [p.name, p.name];
    return cross([...spellings(vendor), ...spellings(product)], spellings(product), p.version);
}
/** CPE 2.3 strings for a package, primary first; [] when the name gives none. */
function cpesFor(p) {
    if (!p.name)
        return [];
    if (p.cpes)
        return p.cpes;
    switch (p.type) {
        case 'go-module':
            return goCpes(p);
        case 'java-archive':
            return javaCpes(p);
        case 'npm':
            return npmCpes(p);
        case 'python':
            return pythonCpes(p);
        case 'php-composer':
            return phpCpes(p);
        default: // deb, rpm, apk, gem, rust-crate, dotnet: the package name is the product
            return cross([...spellings(p.name), ...prefixes(p.name)], spellings(p.name), p.version);
    }
}


/***/ }),

/***/ 86746:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dr: () => (/* binding */ buildSpdxIndexDocument),
/* harmony export */   J2: () => (/* binding */ buildSpdxDocument),
/* harmony export */   X6: () => (/* binding */ imagePurl)
/* harmony export */ });
/* unused harmony exports SPDX_PREDICATE, documentNamespace */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var _catalogers_common_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(39124);
/* harmony import */ var _catalogers_purl_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(29000);
/* harmony import */ var _cpe_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7607);
/* harmony import */ var _formats_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5917);





// Pure: the same package list the CycloneDX builder takes, out as an SPDX
// 2.3 JSON document. The image is the one package the document DESCRIBES;
// it CONTAINS every cataloged package (and the distro), and catalogers'
// edges become DEPENDS_ON. Nothing here reads or writes anything.
const SPDX_PREDICATE = _formats_js__WEBPACK_IMPORTED_MODULE_3__/* .PREDICATE_TYPE */ .T.spdx;
const NOASSERTION = 'NOASSERTION';
// Our own namespace: SPDX requires a unique URI per document, not one that
// resolves; `.invalid` (RFC 2606) can never point at someone else's site.
const NAMESPACE_BASE = 'https://sign-attest-action.invalid/spdx';
// SPDXIDs allow only letters, digits, '.' and '-'.
const idPart = (s) => s
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'x';
const shortHash = (...parts) => (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
// Deterministic per image name and digest: the same image documented twice
// gets the same namespace, two images never share one.
function documentNamespace(image) {
    const slug = image.name.replace(/[^A-Za-z0-9._-]+/g, '-');
    return `${NAMESPACE_BASE}/${slug}/${image.digest.replace(':', '-')}${image.platform ? `/${image.platform.replace(/\//g, '-')}` : ''}`;
}
function imagePurl(image) {
    const repository = image.name.replace(/[:@][^/]*$/, '');
    const arch = image.platform?.split('/')[1];
    return (0,_catalogers_purl_js__WEBPACK_IMPORTED_MODULE_2__/* .purl */ .E)('oci', undefined, repository.slice(repository.lastIndexOf('/') + 1).toLowerCase(), image.digest, { arch, repository_url: repository });
}
// SPDX has one declared-license field, an expression: declared strings that
// are valid expressions are ANDed; any other text becomes a LicenseRef whose
// text is listed in hasExtractedLicensingInfos.
function declaredLicense(declared, extracted) {
    const unique = [...new Set(declared.map((l) => l.trim()).filter(Boolean))];
    if (unique.length === 0)
        return NOASSERTION;
    const terms = unique.map((l) => {
        if ((0,_catalogers_common_js__WEBPACK_IMPORTED_MODULE_1__/* .isSpdxExpression */ .Yr)(l))
            return unique.length > 1 && /\s/.test(l) ? `(${l})` : l;
        const id = `LicenseRef-${idPart(l)}`;
        extracted.set(id, l);
        return id;
    });
    return terms.join(' AND ');
}
function imagePackage(id, image) {
    return {
        SPDXID: id,
        name: image.name,
        versionInfo: image.digest,
        supplier: NOASSERTION,
        downloadLocation: NOASSERTION,
        filesAnalyzed: false,
        licenseConcluded: NOASSERTION,
        licenseDeclared: NOASSERTION,
        copyrightText: NOASSERTION,
        primaryPackagePurpose: 'CONTAINER',
        externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: imagePurl(image) }],
    };
}
// The document says what the scan did not read, so it is not silently
// incomplete (CycloneDX carries the same as sign-attest:scan:* properties).
const MAX_PROBLEMS_LISTED = 20;
function problemsComment(problems) {
    if (!problems?.length)
        return {};
    const lines = problems.slice(0, MAX_PROBLEMS_LISTED).map((p) => `${p.path ? `${p.path}: ` : p.layer ? `layer ${p.layer}: ` : ''}${p.message}`);
    const more = problems.length > MAX_PROBLEMS_LISTED ? `; and ${problems.length - MAX_PROBLEMS_LISTED} more` : '';
    return { comment: `sign-attest:scan:incomplete: ${problems.length} skipped: ${lines.join('; ')}${more}` };
}
function envelope(image, tool, created, packages, relationships, extracted, problems) {
    return {
        spdxVersion: 'SPDX-2.3',
        dataLicense: 'CC0-1.0',
        SPDXID: 'SPDXRef-DOCUMENT',
        name: `${image.name}@${image.digest}`,
        documentNamespace: documentNamespace(image),
        ...problemsComment(problems),
        creationInfo: {
            created: created.toISOString().replace(/\.\d+Z$/, 'Z'),
            creators: [`Tool: ${tool.name}-${tool.version}`],
        },
        packages,
        relationships,
        ...(extracted.size ? { hasExtractedLicensingInfos: [...extracted].map(([licenseId, text]) => ({ licenseId, extractedText: text, name: text })) } : {}),
    };
}
function buildSpdxDocument(content, tool) {
    const { image, distro, packages, relationships } = content;
    const rootId = `SPDXRef-Image-${idPart(image.digest.replace(/^sha256:/, '').slice(0, 16))}`;
    const extracted = new Map();
    const out = [imagePackage(rootId, image)];
    const rels = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId }];
    if (distro) {
        const id = `SPDXRef-OperatingSystem-${idPart(distro.id)}`;
        out.push({
            SPDXID: id,
            name: distro.id,
            versionInfo: distro.versionId ?? distro.buildId,
            supplier: NOASSERTION,
            downloadLocation: NOASSERTION,
            filesAnalyzed: false,
            licenseConcluded: NOASSERTION,
            licenseDeclared: NOASSERTION,
            copyrightText: NOASSERTION,
            primaryPackagePurpose: 'OPERATING_SYSTEM',
            ...(distro.prettyName ? { sourceInfo: distro.prettyName } : {}),
        });
        rels.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
    }
    const ids = new Map();
    const used = new Set();
    for (const p of packages) {
        const id = `SPDXRef-Package-${idPart(p.type)}-${idPart(p.name)}-${shortHash(p.purl, p.path, p.name, p.version)}`;
        if (used.has(id)) {
            ids.set(p, id); // the very same package reported twice
            continue;
        }
        used.add(id);
        ids.set(p, id);
        const given = [...(p.cpe ? [p.cpe] : []), ...(p.cpes ?? [])];
        const cpes = [...new Set(given.length > 0 ? given : (0,_cpe_js__WEBPACK_IMPORTED_MODULE_4__/* .cpesFor */ .P)(p))];
        out.push({
            SPDXID: id,
            name: p.name,
            ...(p.version ? { versionInfo: p.version } : {}),
            supplier: p.supplier ?? NOASSERTION,
            ...(p.originator ? { originator: p.originator } : {}),
            downloadLocation: NOASSERTION,
            filesAnalyzed: false,
            licenseConcluded: NOASSERTION,
            licenseDeclared: declaredLicense(p.licenses, extracted),
            copyrightText: NOASSERTION,
            primaryPackagePurpose: 'LIBRARY',
            sourceInfo: `acquired package info from ${p.foundBy}: ${p.path} (layer ${p.layer})`,
            externalRefs: [
                ...cpes.map((c) => ({ referenceCategory: 'SECURITY', referenceType: c.startsWith('cpe:2.3:') ? 'cpe23Type' : 'cpe22Type', referenceLocator: c })),
                { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl },
            ],
        });
        rels.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
    }
    const seen = new Set();
    for (const { from, to } of relationships) {
        const a = ids.get(from);
        const b = ids.get(to);
        if (!a || !b || a === b || seen.has(`${a} ${b}`))
            continue;
        seen.add(`${a} ${b}`);
        rels.push({ spdxElementId: a, relationshipType: 'DEPENDS_ON', relatedSpdxElement: b });
    }
    const document = envelope(image, tool, content.timestamp ?? new Date(), out, rels, extracted, content.problems);
    return { document, json: JSON.stringify(document), packageCount: out.length - 1 };
}
// The SPDX document attested on a multi-platform index: the index, and one
// container package per platform image it lists (each platform's packages
// are in that platform's own document, attested on its own digest).
function buildSpdxIndexDocument(index, platforms, tool, created = new Date()) {
    const rootId = 'SPDXRef-Index';
    const out = [imagePackage(rootId, index)];
    const rels = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId }];
    for (const p of platforms) {
        const id = `SPDXRef-Image-${idPart(p.digest.replace(/^sha256:/, '').slice(0, 16))}`;
        out.push({ ...imagePackage(id, p), ...(p.platform ? { sourceInfo: `platform ${p.platform}` } : {}) });
        rels.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
    }
    const document = envelope(index, tool, created, out, rels, new Map());
    return { document, json: JSON.stringify(document), packageCount: out.length - 1 };
}


/***/ }),

/***/ 43268:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ problemLine),
/* harmony export */   j: () => (/* binding */ TOOL)
/* harmony export */ });
function problemLine(p) {
    const where = p.path ? `${p.path}${p.layer ? ` (layer ${p.layer})` : ''}: ` : p.layer ? `layer ${p.layer}: ` : '';
    return `${where}${p.message}`;
}
// The generator named in every SBOM this action makes.
const TOOL = 'sign-attest-action';


/***/ }),

/***/ 74310:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  attachAll: () => (/* reexport */ attachAll),
  describeWhileOpening: () => (/* reexport */ describeWhileOpening),
  loadTrustMaterial: () => (/* reexport */ loadTrustMaterial),
  openOutputs: () => (/* reexport */ openOutputs),
  openSigner: () => (/* reexport */ openSigner),
  predicatesFor: () => (/* reexport */ predicatesFor),
  prepareAttach: () => (/* reexport */ prepareAttach),
  prepareStore: () => (/* reexport */ prepareStore),
  provenanceDocument: () => (/* reexport */ provenanceDocument),
  report: () => (/* reexport */ report),
  resolveServices: () => (/* reexport */ resolveServices),
  signAll: () => (/* reexport */ signAll),
  signReleaseFiles: () => (/* reexport */ signReleaseFiles),
  storeAll: () => (/* reexport */ storeAll),
  summaryContext: () => (/* reexport */ summaryContext)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./node_modules/@sigstore/bundle/dist/index.js
var dist = __webpack_require__(61040);
// EXTERNAL MODULE: ./node_modules/@sigstore/protobuf-specs/dist/index.js
var protobuf_specs_dist = __webpack_require__(19654);
// EXTERNAL MODULE: ./node_modules/@sigstore/tuf/seeds.json
var seeds = __webpack_require__(8032);
// EXTERNAL MODULE: ./node_modules/@sigstore/verify/dist/index.js
var verify_dist = __webpack_require__(54187);
// EXTERNAL MODULE: ./node_modules/@sigstore/verify/dist/tlog/index.js
var tlog = __webpack_require__(38218);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
;// CONCATENATED MODULE: ./lib/verify/error.js


class error_VerifyError extends errors/* ActionError */.l {
    reason;
    constructor(reason, message, options) {
        super('VERIFY', message, options);
        this.name = 'VerifyError';
        this.reason = reason;
    }
}
// Policy reasons are about who signed; the rest mean the material itself is
// forged, tampered or mismatched.
function isPolicyReason(reason) {
    return reason === 'IDENTITY' || reason === 'ISSUER';
}
// Translates @sigstore/verify's errors into our reasons, with messages that
// say what was checked rather than which library function failed.
function toVerifyError(err) {
    if (err instanceof error_VerifyError)
        return err;
    const detail = (0,errors/* errorLine */.B)(err);
    if (err instanceof verify_dist/* PolicyError */.pn)
        return new error_VerifyError('IDENTITY', `signer policy: ${detail}`, { cause: err });
    if (!(err instanceof verify_dist/* VerificationError */.mk))
        return new error_VerifyError('MALFORMED', `malformed Sigstore material: ${detail}`, { cause: err });
    switch (err.code) {
        case 'TLOG_INCLUSION_PROMISE_ERROR':
            return new error_VerifyError('SET', 'bad SET: the signed entry timestamp does not verify under the trusted Rekor key for this entry', { cause: err });
        case 'TLOG_INCLUSION_PROOF_ERROR':
            return new error_VerifyError('INCLUSION_PROOF', `bad inclusion proof: ${detail}`, { cause: err });
        case 'TLOG_BODY_ERROR':
            // The hash we compare is computed from the bytes as found, so a hash
            // mismatch means those bytes are not the ones that were logged.
            if (/digest mismatch|hash mismatch/i.test(detail)) {
                return new error_VerifyError('TLOG_BODY', 'payload modified after signing: its hash differs from the one logged in Rekor', { cause: err });
            }
            return new error_VerifyError('TLOG_BODY', `the Rekor entry does not match the signed content (${detail})`, { cause: err });
        case 'TLOG_ERROR':
        case 'TLOG_MISSING_INCLUSION_ERROR':
            return new error_VerifyError('SET', `no verifiable transparency log entry (${detail})`, { cause: err });
        case 'SIGNATURE_ERROR':
            return new error_VerifyError('SIGNATURE', 'the signature does not verify over the signed payload', { cause: err });
        case 'TIMESTAMP_ERROR':
            return new error_VerifyError('TIMESTAMP', `timestamp verification failed (${detail})`, { cause: err });
        case 'CERTIFICATE_ERROR': {
            // The chain verifier wraps the specific reason (expiry, no path) in its cause.
            const inner = err.cause instanceof Error ? `: ${(0,errors/* errorLine */.B)(err.cause)}` : '';
            if (/SCT/.test(detail))
                return new error_VerifyError('SCT', `certificate transparency: ${detail}`, { cause: err });
            if (/not valid or expired/.test(detail + inner)) {
                return new error_VerifyError('CERTIFICATE', 'certificate not valid at the logged time (the integrated time is outside its validity)', { cause: err });
            }
            return new error_VerifyError('CERTIFICATE', `the certificate does not chain to the trusted Fulcio root (${detail}${inner})`, { cause: err });
        }
        default:
            return new error_VerifyError('MALFORMED', `verification failed: ${detail}`, { cause: err });
    }
}

// EXTERNAL MODULE: ./node_modules/@sigstore/core/dist/index.js
var core_dist = __webpack_require__(83917);
;// CONCATENATED MODULE: ./lib/verify/validity.js

// A trusted root says since when each key or chain may be trusted. The start
// is required (TimeRange.start); @sigstore/verify reads a missing start as
// "since the beginning of time", which would trust a log, CT log, CA or TSA
// for signatures made before it existed. Such a root is refused instead.
// Ends are optional and inclusive (the library already compares with <=).
function missingValidityStart(root) {
    const entries = [
        ...root.tlogs.map((t, i) => [`transparency log ${t.baseUrl || `#${i + 1}`}`, t.publicKey?.validFor]),
        ...root.ctlogs.map((t, i) => [`CT log ${t.baseUrl || `#${i + 1}`}`, t.publicKey?.validFor]),
        ...root.certificateAuthorities.map((c, i) => [`certificate authority ${c.uri || `#${i + 1}`}`, c.validFor]),
        ...root.timestampAuthorities.map((c, i) => [`timestamp authority ${c.uri || `#${i + 1}`}`, c.validFor]),
    ];
    const bad = entries.find(([, validFor]) => !validFor?.start);
    return bad ? `the ${bad[0]} has a validity window without a start (validFor.start)` : undefined;
}
// @sigstore/verify checks a log key's validity window only through a SET
// (at the integrated time). An entry proven by an inclusion proof and a
// checkpoint alone (Rekor v2) is accepted whatever the window of the log that
// signed the checkpoint; here its log must have been trusted at every time the
// bundle vouches for (its TSA timestamps, and the integrated time if any).
function checkProofOnlyLogWindows(trust, bundle) {
    const tsaTimes = (bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []).map((ts) => core_dist.RFC3161Timestamp.parse(Buffer.from(ts.signedTimestamp)).signingTime);
    for (const entry of bundle.verificationMaterial.tlogEntries) {
        if (entry.inclusionPromise || !entry.inclusionProof)
            continue;
        const times = [...tsaTimes, ...(entry.integratedTime && entry.integratedTime !== '0' ? [new Date(Number(entry.integratedTime) * 1000)] : [])];
        const logs = trust.tlogs.filter((t) => t.logID.equals(Buffer.from(entry.logId.keyId)));
        const trusted = logs.some((t) => times.every((time) => t.validFor.start <= time && time <= t.validFor.end));
        if (!trusted) {
            const base = logs[0]?.baseURL ?? Buffer.from(entry.logId.keyId).toString('base64');
            return `the transparency log ${base} was not trusted at the signing time (${times.map((t) => t.toISOString()).join(', ') || 'none'}) by the trusted root's validity window`;
        }
    }
    return undefined;
}

// EXTERNAL MODULE: ./lib/formats/predicates.js
var formats_predicates = __webpack_require__(37276);
;// CONCATENATED MODULE: ./lib/verify/policy.js



// Builds the policy from the action inputs or CLI flags; exactly one of
// identity and identityRegexp must be given.
function identityPolicy(opts, names = INPUT_NAMES) {
    if (opts.identity && opts.identityRegexp) {
        throw new ActionError('INPUT', `${names.identity} and ${names.identityRegexp} are mutually exclusive; pass one`);
    }
    if (!opts.identity && !opts.identityRegexp) {
        throw new ActionError('INPUT', `${names.identity} or ${names.identityRegexp} is required: pin the workflow identity that must have signed`);
    }
    if (!opts.issuer)
        throw new ActionError('INPUT', `${names.issuer} is required (for GitHub Actions: https://token.actions.githubusercontent.com)`);
    let san;
    if (opts.identityRegexp) {
        try {
            san = new RegExp(opts.identityRegexp);
        }
        catch (err) {
            throw new ActionError('INPUT', `${names.identityRegexp}: "${opts.identityRegexp}" is not a valid regular expression (${err.message})`);
        }
    }
    else {
        san = opts.identity;
    }
    return { san, issuer: opts.issuer };
}
const INPUT_NAMES = {
    identity: 'certificate-identity',
    identityRegexp: 'certificate-identity-regexp',
    issuer: 'certificate-oidc-issuer',
};
// Throws IDENTITY or ISSUER when the signer is not the one the policy pins.
// A string identity is compared exactly; a RegExp is searched, as cosign does.
function checkIdentity(policy, signer) {
    const sanOK = typeof policy.san === 'string' ? signer.san === policy.san : policy.san.test(signer.san);
    if (!sanOK) {
        throw new error_VerifyError('IDENTITY', `wrong identity: signed by "${signer.san}", expected ${describeSAN(policy.san)}${refHint(policy.san, signer.san)}`);
    }
    if (signer.issuer !== policy.issuer) {
        throw new error_VerifyError('ISSUER', `wrong issuer: certificate issued for "${signer.issuer}", expected "${policy.issuer}"`);
    }
}
// When the same workflow signed at another ref (`…/release.yml@refs/heads/dev`
// for an expected `…@refs/heads/main`), says so and names the regexp that
// accepts that workflow at any ref.
function refHint(expected, actual) {
    if (typeof expected !== 'string')
        return '';
    const at = (s) => s.lastIndexOf('@');
    const [e, a] = [at(expected), at(actual)];
    if (e < 0 || a < 0 || expected.slice(0, e) !== actual.slice(0, a))
        return '';
    if (!expected.startsWith('refs/', e + 1) || !actual.startsWith('refs/', a + 1))
        return ''; // e-mail identities have no ref
    const workflow = expected.slice(0, e + 1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return `; only the ref differs (${actual.slice(a + 1)}, not ${expected.slice(e + 1)}): to accept this workflow at any ref, pass certificate-identity-regexp '^${workflow}'`;
}
function describeSAN(san) {
    return typeof san === 'string' ? `"${san}"` : `a match for /${san.source}/`;
}
function toPredicateType(value, inputName = 'predicate-types') {
    const known = PREDICATE_TYPE_NAMES[value.toLowerCase()];
    if (known)
        return known;
    if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(value))
        return value;
    throw new ActionError('INPUT', `${inputName}: "${value}" is neither a predicate type URI nor one of ${Object.keys(PREDICATE_TYPE_NAMES).join(', ')}`);
}

// EXTERNAL MODULE: ./lib/tuf.js
var lib_tuf = __webpack_require__(98572);
;// CONCATENATED MODULE: ./lib/verify.js





// Not in the package's index: the library's own SET and inclusion-proof check,
// for entries whose body the caller binds (see verifyBundleMaterial).






// Loads a trusted_root.json, or the public-good root when no path is given;
// `onFallback` hears when that had to come from the embedded copy. `tuf`: a
// private instance's TUF repository instead (no fallback: its root is not ours).
async function loadTrustMaterial(trustedRootPath, onFallback, tuf = lib_tuf/* PUBLIC_GOOD_TUF */.GQ) {
    if (trustedRootPath) {
        let json;
        try {
            json = JSON.parse(await (0,promises_.readFile)(trustedRootPath, 'utf8'));
        }
        catch (err) {
            throw new errors/* ActionError */.l('INPUT', `trusted-root: cannot read "${trustedRootPath}" (${(0,errors/* errorLine */.B)(err)}); pass the path of a trusted_root.json`);
        }
        let root;
        try {
            root = protobuf_specs_dist.TrustedRoot.fromJSON(json);
        }
        catch (err) {
            throw new errors/* ActionError */.l('INPUT', `trusted-root: "${trustedRootPath}" is not a Sigstore trusted root (${(0,errors/* errorLine */.B)(err)})`);
        }
        // fromJSON accepts any object; a root that trusts no CA or log would only
        // fail later, after the certificate and log entries were already made.
        if (root.certificateAuthorities.length === 0 || root.tlogs.length === 0) {
            throw new errors/* ActionError */.l('INPUT', `trusted-root: "${trustedRootPath}" is not a Sigstore trusted root (it lists no certificate authority or transparency log); pass the trusted_root.json of your Sigstore instance`);
        }
        const unbounded = missingValidityStart(root);
        if (unbounded)
            throw new errors/* ActionError */.l('INPUT', `trusted-root: "${trustedRootPath}" is malformed: ${unbounded}; give every log, CT log, CA and TSA the time it became trusted, or pass your instance's trusted_root.json`);
        return (0,verify_dist/* toTrustMaterial */.jO)(root);
    }
    // The public-good root via TUF, kept fresh in a cache; offline, the copy
    // embedded in @sigstore/tuf.
    let fromTuf;
    try {
        fromTuf = protobuf_specs_dist.TrustedRoot.fromJSON(JSON.parse(await (0,lib_tuf/* tufTarget */.rL)(tuf, 'trusted_root.json')));
    }
    catch (err) {
        if (!(0,lib_tuf/* isPublicGood */.DZ)(tuf)) {
            throw new errors/* ActionError */.l('INPUT', `tuf-mirror-url: cannot read trusted_root.json from ${tuf.mirrorURL} (${(0,errors/* errorLine */.B)(err)}); fix the mirror or tuf-root, or pass trusted-root`);
        }
        onFallback?.(`Using the public-good trusted root embedded in @sigstore/tuf: the TUF repository could not be reached (${(0,errors/* errorLine */.B)(err)})`);
        return (0,verify_dist/* toTrustMaterial */.jO)(protobuf_specs_dist.TrustedRoot.fromJSON(embeddedTrustedRoot()));
    }
    // A private mirror's root gets the same shape check as a trusted-root file.
    const unbounded = (0,lib_tuf/* isPublicGood */.DZ)(tuf) ? undefined : missingValidityStart(fromTuf);
    if (unbounded)
        throw new errors/* ActionError */.l('INPUT', `tuf-mirror-url: the trusted_root.json from ${tuf.mirrorURL} is malformed: ${unbounded}; fix the instance's root, or pass trusted-root`);
    return (0,verify_dist/* toTrustMaterial */.jO)(fromTuf);
}
function embeddedTrustedRoot() {
    const target = seeds[lib_tuf/* PUBLIC_GOOD_TUF */.GQ.mirrorURL]?.targets?.['trusted_root.json'];
    if (!target)
        throw new errors/* ActionError */.l('VERIFY', 'No embedded public-good trusted root is available offline; pass trusted-root');
    return JSON.parse(Buffer.from(target, 'base64').toString('utf8'));
}
// Parses a serialized bundle, validating it against the rules of its media type.
function parseBundle(bundleJSON) {
    try {
        return (0,dist/* bundleFromJSON */.vw)(bundleJSON);
    }
    catch (err) {
        throw new error_VerifyError('MALFORMED', `not a valid Sigstore bundle (${(0,errors/* errorLine */.B)(err)})`, { cause: err });
    }
}
// Runs every cryptographic check on a bundle and returns who signed it,
// without judging the identity. `artifact` is the signed bytes of a message
// signature (unused for DSSE). `bodyBoundByCaller`: @sigstore/verify matches
// a log entry's body to the content only for the kinds it knows, and intoto
// v0.0.1 (cosign's attestation entries) is not one; with it set, each entry's
// inclusion (SET, proof) is still checked here, and the caller must bind the
// logged body to the content itself, as cosign does. `overDigest`: a message
// signature known only by the artifact's digest is checked by this function
// (verify/prehashed.ts, passed in so only the CLI bundles its curve code);
// every other check (log body, certificate, timestamps) is the library's.
function verifyBundleMaterial(trust, bundle, artifact, opts = {}) {
    // cosign's --insecure-ignore-tlog, for key signatures made with
    // tlog-upload: false: no log entry (and then perhaps no timestamp) is
    // required; entries present are still checked.
    const relaxed = opts.insecureIgnoreTlog && bundle.verificationMaterial.content.$case === 'publicKey';
    const verifier = new verify_dist/* Verifier */.BL(trust, { tlogThreshold: relaxed ? 0 : 1, ctlogThreshold: 1, ...(relaxed ? { timestampThreshold: 0 } : {}) });
    rememberCertificateChecks(verifier, trust, bundle);
    if (opts.bodyBoundByCaller) {
        // Replaces only the body comparison of the (private) log step; its other
        // checks are these, and the timestamps still come from the same entries.
        Object.assign(verifier, {
            verifyTLogs: ({ tlogEntries }) => {
                if (tlogEntries.length < 1)
                    throw new error_VerifyError('MALFORMED', 'no transparency log entry');
                tlogEntries.forEach((entry) => (0,tlog.verifyTLogInclusion)(entry, trust.tlogs));
            },
        });
    }
    if (bundle.verificationMaterial.content.$case === 'publicKey' && bundle.verificationMaterial.tlogEntries.length === 0 && !opts.insecureIgnoreTlog) {
        throw new error_VerifyError('TLOG_BODY', 'not logged in a transparency log (the bundle has no tlog entry); if it was signed with tlog-upload: false, verify with --insecure-ignore-tlog');
    }
    try {
        const entity = (0,verify_dist/* toSignedEntity */.DC)(bundle, artifact);
        const { overDigest } = opts;
        if (overDigest && !artifact && bundle.content.$case === 'messageSignature') {
            const signature = bundle.content.messageSignature.signature;
            entity.signature.verifySignature = (key) => overDigest(key, signature);
        }
        const signer = verifier.verify(entity);
        const untrustedLog = checkProofOnlyLogWindows(trust, bundle);
        if (untrustedLog)
            throw new error_VerifyError('INCLUSION_PROOF', untrustedLog);
        const material = bundle.verificationMaterial.content;
        return {
            signer: {
                san: signer.identity?.subjectAlternativeName ?? '',
                issuer: signer.identity?.extensions?.issuer ?? '',
                ...(material.$case === 'publicKey' ? { keyHint: material.publicKey.hint } : {}),
            },
            logIndexes: bundle.verificationMaterial.tlogEntries.map((e) => Number(e.logIndex)),
        };
    }
    catch (err) {
        throw toVerifyError(err);
    }
}
const checkedCertificates = new WeakMap();
// The DER of the signing certificate a bundle carries (alone, or first of its chain).
function leafCertificateBytes(bundle) {
    const material = bundle.verificationMaterial.content;
    if (material.$case === 'certificate')
        return material.certificate.rawBytes;
    return material.$case === 'x509CertificateChain' ? material.x509CertificateChain.certificates[0]?.rawBytes : undefined;
}
function rememberCertificateChecks(verifier, trust, bundle) {
    const leaf = leafCertificateBytes(bundle);
    if (!leaf)
        return;
    const checks = checkedCertificates.get(trust) ?? new Map();
    checkedCertificates.set(trust, checks);
    const certificate = Buffer.from(leaf).toString('base64');
    // A private method of @sigstore/verify's Verifier (as verifyTLogs above); verify() calls it once.
    const self = verifier;
    const check = self.verifySigningKey.bind(verifier);
    self.verifySigningKey = (entity, timestamps) => {
        const key = `${certificate} ${timestamps.map((t) => t.getTime()).join(',')}`;
        if (!checks.has(key))
            checks.set(key, check(entity, timestamps));
        return checks.get(key);
    };
}
// Verifies one serialized bundle and its signer's identity.
function verifyBundle(trust, bundleJSON, policy, artifact) {
    const verified = verifyBundleMaterial(trust, parseBundle(bundleJSON), artifact);
    checkIdentity(policy, verified.signer);
    return verified;
}

// EXTERNAL MODULE: ./lib/oci/client.js + 1 modules
var oci_client = __webpack_require__(25121);
;// CONCATENATED MODULE: ./lib/formats/cosign.js

// cosign's classic layout as pure builders: the `.sig`/`.att` layers with
// their annotations, the image that holds them, and cosign's dedupe key. The
// registry writer (writes/) and the verifier (verify/) both read this file;
// nothing here does I/O.
const COSIGN = {
    simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
    dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
    signature: 'dev.cosignproject.cosign/signature',
    certificate: 'dev.sigstore.cosign/certificate',
    chain: 'dev.sigstore.cosign/chain',
    bundle: 'dev.sigstore.cosign/bundle',
    rfc3161: 'dev.sigstore.cosign/rfc3161timestamp',
};
// cosign refuses a `.sig`/`.att` image with more layers than this.
const MAX_COSIGN_LAYERS = 1000;
// cosign's legacy `dev.sigstore.cosign/bundle` annotation. The outer keys are
// capitalised (Go struct without JSON tags) and the inner order is Go's field
// order: body, integratedTime, logIndex, logID.
function cosignRekorBundle(entry) {
    return JSON.stringify({
        SignedEntryTimestamp: entry.verification?.signedEntryTimestamp ?? '',
        Payload: {
            body: entry.body,
            integratedTime: entry.integratedTime,
            logIndex: entry.logIndex,
            logID: entry.logID,
        },
    });
}
// An unlogged signature (key signing, tlog-upload: false) has no Rekor bundle annotation, as cosign writes it.
function signerAnnotations(entry, material, timestamp) {
    return {
        ...(material ? { [COSIGN.certificate]: material.certificatePEM, [COSIGN.chain]: material.chainPEM } : {}),
        ...(entry ? { [COSIGN.bundle]: cosignRekorBundle(entry) } : {}),
        ...(timestamp ? { [COSIGN.rfc3161]: JSON.stringify({ SignedRFC3161Timestamp: timestamp.toString('base64') }) } : {}),
    };
}
// The `.sig` layer: the simple-signing payload, its signature in an
// annotation, and the timestamp over that signature.
function signatureLayer(s, material) {
    return {
        mediaType: COSIGN.simpleSigning,
        bytes: s.payload,
        annotations: { [COSIGN.signature]: s.signature.toString('base64'), ...signerAnnotations(s.entry, material, s.timestamp) },
    };
}
// The `.att` layer: the exact DSSE envelope Rekor logged, an empty signature
// annotation (the signature is inside), and the timestamp over the envelope
// bytes (cosign checks it against the layer, not the inner signature).
function attestationLayer(s, predicateType, material) {
    return {
        mediaType: COSIGN.dsseEnvelope,
        bytes: Buffer.from(s.envelopeJSON ?? ''),
        annotations: { predicateType, [COSIGN.signature]: '', ...signerAnnotations(s.entry, material, s.envelopeTimestamp) },
    };
}
// The config go-containerregistry's empty image grows into: one diff_id and
// one empty history entry per (uncompressed) layer.
function cosignConfig(layers) {
    return Buffer.from(JSON.stringify({
        architecture: '',
        created: '0001-01-01T00:00:00Z',
        history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
        os: '',
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
        config: {},
    }));
}
function cosignManifest(config, layers) {
    const manifest = {
        schemaVersion: 2,
        mediaType: oci_client/* MEDIA */.Rn.ociManifest,
        config: { mediaType: oci_client/* MEDIA */.Rn.ociConfig, digest: config.digest, size: config.size },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: l.annotations })),
    };
    return Buffer.from(JSON.stringify(manifest));
}
// cosign's dedupe rule: same payload, same media type, same annotations
// (signature and certificate included), so a retried or repeated write of an
// identical signature never adds a second layer.
function layerKey(d) {
    const ann = Object.entries(d.annotations ?? {}).sort(([x], [y]) => x.localeCompare(y));
    return `${d.mediaType}|${d.digest}|${JSON.stringify(ann)}`;
}
// With cosign's `--replace`, an older `.att` layer of one of these predicate
// types gives way to ours.
function replacedBy(predicateTypes) {
    const types = new Set(predicateTypes);
    return (d) => types.has(d.annotations?.['predicateType'] ?? '');
}

;// CONCATENATED MODULE: ./lib/formats/referrers.js

// OCI 1.1 referrers as pure builders: the Sigstore bundle artifact manifest,
// the referrers tag-schema fallback index, and the merge of a shared
// document's entries. No I/O.
const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
// Annotations on a bundle referrer, as cosign and actions/attest write them.
const BUNDLE_ANNOTATIONS = {
    content: 'dev.sigstore.bundle.content',
    predicateType: 'dev.sigstore.bundle.predicateType',
};
const CREATED_ANNOTATION = 'org.opencontainers.image.created';
const EMPTY_CONFIG = Buffer.from('{}');
// A Sigstore bundle as a referrer artifact, tagged with its predicate type.
function bundleArtifact(bundle, predicateType) {
    return {
        bytes: Buffer.from(JSON.stringify(bundle)),
        artifactType: BUNDLE_MEDIA_TYPE,
        annotations: { [BUNDLE_ANNOTATIONS.content]: 'dsse-envelope', [BUNDLE_ANNOTATIONS.predicateType]: predicateType },
    };
}
// The artifact manifest: an empty config, the artifact as its one layer, and
// the image as its subject.
function referrerManifest(artifact, blob, config, subject, created) {
    const annotations = { ...artifact.annotations, [CREATED_ANNOTATION]: created };
    const manifest = {
        schemaVersion: 2,
        mediaType: oci_client/* MEDIA */.Rn.ociManifest,
        artifactType: artifact.artifactType,
        config: { mediaType: oci_client/* MEDIA */.Rn.empty, digest: config.digest, size: config.size },
        layers: [{ mediaType: artifact.artifactType, digest: blob.digest, size: blob.size }],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations,
    };
    return { bytes: Buffer.from(JSON.stringify(manifest)), annotations };
}
// The descriptor a fallback index lists for one referrer manifest.
function referrerDescriptor(digest, size, artifactType, annotations) {
    return { mediaType: oci_client/* MEDIA */.Rn.ociManifest, digest, size, artifactType, annotations };
}
function fallbackIndex(manifests) {
    const index = { schemaVersion: 2, mediaType: oci_client/* MEDIA */.Rn.ociIndex, manifests };
    return Buffer.from(JSON.stringify(index));
}
// One round of merging a shared document (a `.sig`/`.att` manifest's layers,
// a fallback index's manifests): `seen` gathers every entry read so far (less
// those `dropped`) and ours; the document is complete when it holds exactly
// what was seen. Pure: the caller reads, writes and repeats.
function mergeEntries(seen, existing, ours, key, dropped = new Set()) {
    for (const d of existing)
        if (!dropped.has(key(d)))
            seen.set(key(d), d);
    for (const d of ours)
        if (!seen.has(key(d)))
            seen.set(key(d), d);
    const present = new Set(existing.map(key));
    const complete = [...seen.keys()].every((k) => present.has(k)) && existing.every((d) => seen.has(key(d)));
    return { merged: [...seen.values()], complete };
}

// EXTERNAL MODULE: ./lib/oci/reference.js
var reference = __webpack_require__(23940);
;// CONCATENATED MODULE: ./lib/sbom-figures.js
// How many components an SBOM lists per ecosystem, for the step summary:
// keyed by package URL type (deb, npm, golang, ...); components without a
// package URL by their CycloneDX type, SPDX packages without one by their
// primaryPackagePurpose, else as "other".
// Read from the attested document itself, so a supplied SBOM gets figures too.
function componentCounts(document) {
    const counts = new Map();
    const add = (key) => counts.set(key, (counts.get(key) ?? 0) + 1);
    const doc = document;
    if (Array.isArray(doc.components)) {
        // CycloneDX components nest (an assembly lists its parts).
        const walk = (list) => {
            for (const c of list) {
                add(purlType(c?.purl) ?? (typeof c?.type === 'string' ? c.type : 'other'));
                if (Array.isArray(c?.components))
                    walk(c.components);
            }
        };
        walk(doc.components);
    }
    else if (Array.isArray(doc.packages)) {
        // The package the document DESCRIBES is the image itself (as CycloneDX's
        // metadata.component, which is not counted either).
        const described = describedIds(document);
        for (const p of doc.packages) {
            if (typeof p?.SPDXID === 'string' && described.has(p.SPDXID))
                continue;
            const ref = Array.isArray(p?.externalRefs) ? p.externalRefs.find((r) => r?.referenceType === 'purl') : undefined;
            // Without a purl, the purpose names it as CycloneDX's type would (OPERATING_SYSTEM → operating-system).
            const purpose = typeof p?.primaryPackagePurpose === 'string' ? p.primaryPackagePurpose.toLowerCase().replace(/_/g, '-') : undefined;
            add(purlType(ref?.referenceLocator) ?? purpose ?? 'other');
        }
    }
    // Largest first, then by name, so the summary reads the same every run.
    return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
function describedIds(document) {
    const doc = document;
    const ids = new Set(Array.isArray(doc.documentDescribes) ? doc.documentDescribes.filter((x) => typeof x === 'string') : []);
    for (const r of Array.isArray(doc.relationships)
        ? doc.relationships
        : []) {
        if (r?.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES' && typeof r.relatedSpdxElement === 'string')
            ids.add(r.relatedSpdxElement);
    }
    return ids;
}
function purlType(purl) {
    const m = typeof purl === 'string' ? /^pkg:\/*([a-zA-Z][\w.+-]*)\//.exec(purl) : null;
    return m?.[1]?.toLowerCase();
}

;// CONCATENATED MODULE: ./lib/writes/merge.js



// A shared tag (a .sig/.att manifest, a fallback index) updated by several
// writers. Registries such as distribution ignore If-Match, so it is updated
// by read, merge, write, read back, and merge again until both our entries
// and everything we read are present.
const MAX_MERGE_ROUNDS = 16;
const SETTLE_MS = 150;
// Read, merge, write, read back: returns once a read a moment after our
// last write holds our entries and every entry seen before, so a racing
// writer's stale PUT that lands just after our write is caught and merged
// again. (A document found complete without our writing it is confirmed by
// two reads a moment apart, as nothing of ours proves it settled.)
//
// How long a moment: a racing writer's stale PUT lands at most one of its
// read-merge-write cycles after its read, which came before our write, so
// the confirming read comes at least that long after our write, twice over
// for the work in a cycle (on a loaded machine or a slow registry, 150 ms
// was seen to be too short and lose one of 16 concurrent signatures). The
// network part of a racer's cycle is covered by the confirming read's own
// round trip and, for cycles of several writes, one round trip (the fastest
// read's) per extra write: so the wait does not grow with the registry's
// latency, only with the work and the extra writes.
async function mergeUntilStable(client, repo, tag, spec) {
    const seen = new Map();
    let confirmations = 0;
    let wrote = false;
    let slowestWorkMs = 0;
    let mostWrites = 1;
    let roundTripMs = Infinity;
    // At least that long. Once writers have met (a second round), a jitter
    // spreads their reads so they do not stay in step; a first write waits
    // exactly the minimum (no jitter is needed before anyone was seen racing).
    const settle = (round) => {
        const ms = Math.max(SETTLE_MS, 2 * slowestWorkMs + (mostWrites - 1) * roundTripMs);
        return pause(round === 0 ? ms : ms * (1 + Math.random() / 4));
    };
    await spec.begin;
    for (let round = 0; round < MAX_MERGE_ROUNDS; round++) {
        const readStart = Date.now();
        const current = await client.getManifest(repo, tag);
        const readMs = Date.now() - readStart;
        roundTripMs = Math.min(roundTripMs, readMs);
        if (current && spec.expectIndex && current.mediaType !== oci_client/* MEDIA */.Rn.ociIndex) {
            throw new errors/* ActionError */.l('REGISTRY', `${repo}:${tag} exists but is not an OCI index (${current.mediaType}), so the referrers fallback cannot use it; delete that tag`);
        }
        const existing = current ? spec.entries(current.manifest) : [];
        const { merged, complete } = mergeEntries(seen, existing, spec.ours, spec.key, spec.drop?.(existing));
        if (current && complete) {
            if (wrote || ++confirmations >= 2)
                return current.digest;
            await settle(round);
            continue;
        }
        confirmations = 0;
        if (spec.ready) {
            // The first read ran while what the document names was still being
            // written. A writer whose entry landed after that read confirms it no
            // sooner than SETTLE_MS after its write, so it sees ours (and merges
            // again) if ours lands within SETTLE_MS of our read; later, read again.
            await spec.ready;
            spec.ready = undefined;
            if (Date.now() - readStart - readMs > SETTLE_MS - roundTripMs / 2) {
                round--;
                continue;
            }
        }
        const writeStart = Date.now();
        const writes = await spec.write(merged);
        const writeMs = Date.now() - writeStart;
        wrote = true;
        mostWrites = Math.max(mostWrites, writes);
        slowestWorkMs = Math.max(slowestWorkMs, readMs + writeMs - (1 + writes) * roundTripMs);
        // Racing writers also back off from each other, more with every round.
        if (round > 0)
            await pause(Math.random() * Math.min(400, 25 * 2 ** round));
        await settle(round);
    }
    throw new errors/* ActionError */.l('REGISTRY', `${repo}:${tag} kept changing under concurrent writers after ${MAX_MERGE_ROUNDS} merges; re-run the job`);
}
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

;// CONCATENATED MODULE: ./lib/writes/plan.js




// Step ids an image's results are found under.
const plan_stepIds = {
    sig: (repo, digest) => `merge ${repo}:${(0,reference/* digestTag */.t9)(digest, '.sig')}`,
    att: (repo, digest) => `merge ${repo}:${(0,reference/* digestTag */.t9)(digest, '.att')}`,
    fallback: (repo, digest) => `merge ${repo}:${(0,reference/* digestTag */.t9)(digest)}`,
    referrer: (repo, manifestDigest) => `manifest ${repo}@${manifestDigest}`,
};
function plan_planWrites(images) {
    const steps = new Map();
    const blob = (registry, repo, bytes) => {
        const digest = (0,oci_client/* sha256Digest */.sI)(bytes);
        const id = `blob ${registry}/${repo}@${digest}`;
        const existing = steps.get(id);
        if (existing?.kind === 'blob')
            return existing;
        const step = { kind: 'blob', id, registry, repo, bytes, digest };
        steps.set(id, step);
        return step;
    };
    const add = (step) => steps.set(step.id, step);
    const referrerManifests = new Map();
    for (const img of images) {
        const { registry, repo, subject } = img;
        const cosign = (suffix, layers, existing = [], replaceTypes) => {
            const blobs = layers.map((l) => blob(registry, repo, l.bytes));
            const ours = layers.map((l, i) => ({ mediaType: l.mediaType, digest: blobs[i].digest, size: l.bytes.length, annotations: l.annotations }));
            const dropped = replaceTypes ? new Set(existing.filter(replacedBy(replaceTypes)).map(layerKey)) : undefined;
            const expected = mergeEntries(new Map(), existing, ours, layerKey, dropped).merged;
            const config = blob(registry, repo, cosignConfig(expected));
            add({
                kind: 'merge',
                id: suffix === '.sig' ? plan_stepIds.sig(repo, subject.digest) : plan_stepIds.att(repo, subject.digest),
                registry,
                repo,
                tag: (0,reference/* digestTag */.t9)(subject.digest, suffix),
                document: 'cosign',
                ours,
                ...(replaceTypes ? { replaceTypes } : {}),
                after: [...blobs.map((b) => b.id), config.id],
            });
        };
        if (img.sig?.length)
            cosign('.sig', img.sig, img.existing?.sig);
        if (img.att?.layers.length) {
            const types = img.att.replace ? img.att.layers.map((l) => l.annotations['predicateType'] ?? '') : undefined;
            cosign('.att', img.att.layers, img.existing?.att, types);
        }
        if (img.referrers?.artifacts.length) {
            const { artifacts, created, apiServed } = img.referrers;
            const config = blob(registry, repo, EMPTY_CONFIG);
            const manifests = artifacts.map((artifact) => {
                const layer = blob(registry, repo, artifact.bytes);
                const { bytes, annotations } = referrerManifest(artifact, { digest: layer.digest, size: artifact.bytes.length }, { digest: config.digest, size: EMPTY_CONFIG.length }, subject, created);
                const digest = (0,oci_client/* sha256Digest */.sI)(bytes);
                const step = { kind: 'manifest', id: plan_stepIds.referrer(repo, digest), registry, repo, bytes, digest, after: [config.id, layer.id] };
                add(step);
                referrerManifests.set(artifact.id, digest);
                return { step, descriptor: referrerDescriptor(digest, bytes.length, artifact.artifactType, annotations) };
            });
            add({
                kind: 'merge',
                id: plan_stepIds.fallback(repo, subject.digest),
                registry,
                repo,
                tag: (0,reference/* digestTag */.t9)(subject.digest),
                document: 'fallback-index',
                ours: manifests.map((m) => m.descriptor),
                after: manifests.map((m) => m.step.id),
                ...(apiServed ? { unlessSubjectAware: manifests.map((m) => m.step.id) } : {}),
            });
        }
    }
    return { steps: [...steps.values()], referrerManifests };
}

;// CONCATENATED MODULE: ./lib/writes/execute.js






async function executePlan(plan, registries) {
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    const step = (id) => byId.get(id) ?? missing(id);
    const running = new Map();
    // Resolves when a step is down to its last request (a blob's upload once
    // its session is open, a manifest once what it names is in): a merge's
    // first read goes out then, alongside it, right before the merge's write.
    const lastRequest = new Map();
    const uploaded = new Set(); // registry/repo@digest of blobs done
    const run = (s) => {
        let p = running.get(s.id);
        if (p)
            return p;
        let last;
        lastRequest.set(s.id, new Promise((r) => (last = r)));
        const deps = () => Promise.all(('after' in s ? s.after : []).map((id) => run(step(id))));
        p = (async () => {
            const client = await registries(s.registry);
            if (s.kind === 'blob')
                return putBlob(client, s, uploaded, last);
            if (s.kind === 'manifest') {
                await deps();
                last();
                return putManifest(client, s);
            }
            const ready = deps();
            const begin = Promise.all(s.after.map((id) => lastRequest.get(id) ?? Promise.resolve()));
            ready.catch(() => undefined); // awaited inside; this only keeps an early failure from going unhandled
            return merge(client, s, { begin, ready }, uploaded, async () => {
                const results = await Promise.all((s.unlessSubjectAware ?? []).map((id) => run(step(id))));
                return s.unlessSubjectAware !== undefined && results.every((r) => r.subjectAware);
            });
        })();
        // A failed step has no last request to wait for.
        p.then(last, last);
        running.set(s.id, p);
        return p;
    };
    return new Map(await Promise.all(plan.steps.map(async (s) => [s.id, await run(s)])));
}
function missing(id) {
    throw new Error(`write plan: no step ${id}`);
}
// The plan's blobs are small and new (signatures made this run), so they are
// sent without asking first whether the registry has them.
async function putBlob(client, step, uploaded, started) {
    await client.putBlob(step.repo, step.bytes, { resend: true, started });
    uploaded.add(`${step.registry}/${step.repo}@${step.digest}`);
    return { digest: step.digest };
}
async function putManifest(client, step) {
    const put = await client.putManifest(step.repo, step.digest, step.bytes, oci_client/* MEDIA */.Rn.ociManifest);
    return { digest: put.digest, subjectAware: put.subjectAware };
}
async function merge(client, step, { begin, ready }, uploaded, skip) {
    const { repo, tag } = step;
    if (step.document === 'fallback-index') {
        // A registry that served the referrers API may need no index: that is
        // known once our manifests are in. Otherwise the first read of the index
        // runs while they are being written.
        if (step.unlessSubjectAware) {
            await ready;
            if (await skip())
                return { skipped: true };
        }
        const digest = await mergeUntilStable(client, repo, tag, {
            entries: (m) => m.manifests ?? [],
            key: (d) => d.digest,
            ours: step.ours,
            expectIndex: true,
            begin,
            ready,
            write: async (merged) => {
                await client.putManifest(repo, tag, fallbackIndex(merged), oci_client/* MEDIA */.Rn.ociIndex);
                return 1;
            },
        });
        return { digest };
    }
    const replace = step.replaceTypes ? replacedBy(step.replaceTypes) : undefined;
    let dropped;
    const digest = await mergeUntilStable(client, repo, tag, {
        entries: (m) => m.layers ?? [],
        key: layerKey,
        ours: step.ours,
        drop: (existing) => {
            dropped ??= new Set(replace ? existing.filter(replace).map(layerKey) : []);
            return dropped;
        },
        begin,
        ready,
        write: async (merged) => {
            if (merged.length > MAX_COSIGN_LAYERS)
                throw new errors/* ActionError */.l('REGISTRY', `${repo}:${tag} would exceed cosign's 1000-layer limit; remove old signatures first`);
            // The config the plan expected is already there; another is uploaded now.
            const config = cosignConfig(merged);
            const digest = (0,oci_client/* sha256Digest */.sI)(config);
            let writes = 1;
            if (!uploaded.has(`${step.registry}/${repo}@${digest}`)) {
                await client.putBlob(repo, config);
                writes += 3; // existence check, upload session, upload
            }
            await client.putManifest(repo, tag, cosignManifest({ digest, size: config.length }, merged), oci_client/* MEDIA */.Rn.ociManifest);
            return writes;
        },
    });
    return { digest };
}
// One image's cosign tag, appended to through a one-image plan.
async function appendCosignLayers(client, repo, subjectDigest, suffix, layers) {
    const subject = { mediaType: MEDIA.ociManifest, digest: subjectDigest, size: 0 };
    const plan = planWrites([{ registry: client.registry, repo, subject, ...(suffix === '.sig' ? { sig: layers } : { att: { layers, replace: false } }) }]);
    const id = suffix === '.sig' ? stepIds.sig(repo, subjectDigest) : stepIds.att(repo, subjectDigest);
    const step = plan.steps.find((s) => s.id === id);
    const results = await executePlan(plan, () => Promise.resolve(client));
    return { tag: step.tag, manifestDigest: results.get(id)?.digest ?? '' };
}
// One image's referrers (and fallback index when the registry needs one),
// through a one-image plan.
async function attachReferrers(client, repo, subject, artifacts, created) {
    const apiServed = (await client.referrers(repo, subject.digest)) !== undefined;
    const desc = { mediaType: subject.mediaType, digest: subject.digest, size: subject.bytes.length };
    const ids = artifacts.map((a, i) => ({ ...a, id: String(i) }));
    const plan = planWrites([{ registry: client.registry, repo, subject: desc, referrers: { artifacts: ids, created, apiServed } }]);
    const results = await executePlan(plan, () => Promise.resolve(client));
    const index = plan.steps.find((s) => s.id === stepIds.fallback(repo, subject.digest));
    const fallbackTag = results.get(index.id)?.skipped ? undefined : index.tag;
    return ids.map((a) => ({ manifestDigest: plan.referrerManifests.get(a.id) ?? '', ...(fallbackTag ? { fallbackTag } : {}) }));
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./lib/custom-predicates.js
var custom_predicates = __webpack_require__(95491);
;// CONCATENATED MODULE: ./lib/formats/statements.js
// Pure builders for what gets signed: cosign simple-signing payloads and
// in-toto v1 statements. No I/O; the bytes returned are the bytes signed.

const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
// cosign's Simple Signing payload, keys in Go's field order so the bytes
// match what cosign itself would sign for the same image.
function simpleSigningPayload(repository, digest) {
    return Buffer.from(JSON.stringify({
        critical: {
            identity: { 'docker-reference': repository },
            image: { 'docker-manifest-digest': digest },
            type: 'cosign container image signature',
        },
        optional: null,
    }));
}
// An in-toto v1 statement with exactly the four top-level fields: cosign
// parses statements strictly and rejects unknown fields.
function statement(subjects, predicateType, predicate) {
    return Buffer.from(JSON.stringify({
        _type: STATEMENT_TYPE,
        subject: subjects.map((s) => ({
            ...(s.name ? { name: s.name } : {}),
            digest: { sha256: s.digest.replace(/^sha256:/, '') },
        })),
        predicateType,
        predicate,
    }));
}
// A statement names at most this many subjects, and their JSON at most this
// many bytes; more are split over several statements of the same predicate,
// each signed and logged on its own. 1024 is what the verifiers take:
// sigstore-go, which cosign 2 and 3 and gh verify with, refuses more
// ("too many subjects: 2000 > 1024"), and actions/attest stops there too.
// A subject is 99 bytes plus its name (unit tests), so a full statement is
// about 130 KB for typical release file names: far below Rekor's and GitHub's
// size limits. The byte bound only matters for very long names.
const MAX_SUBJECTS_PER_STATEMENT = 1024;
const MAX_SUBJECT_BYTES_PER_STATEMENT = 1024 * 1024;
// Splits subjects into groups that each fit one statement, in order.
function subjectGroups(subjects, maxCount = MAX_SUBJECTS_PER_STATEMENT, maxBytes = MAX_SUBJECT_BYTES_PER_STATEMENT) {
    const groups = [];
    let current = [];
    let bytes = 0;
    for (const s of subjects) {
        const size = subjectBytes(s);
        if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
            groups.push(current);
            current = [];
            bytes = 0;
        }
        current.push(s);
        bytes += size;
    }
    if (current.length > 0)
        groups.push(current);
    return groups;
}
// The bytes one subject adds to a statement (with its separating comma).
function subjectBytes(s) {
    return Buffer.byteLength(JSON.stringify({ ...(s.name ? { name: s.name } : {}), digest: { sha256: s.digest.replace(/^sha256:/, '') } })) + 1;
}
// What `cosign sign` v3 signs for an image: a digest subject and an empty
// predicate. cosign leaves the subject nameless; we name the repository, as
// in our other statements, because sigstore-python rejects a statement whose
// subject has no "name" key (cosign checks only the digest).
function cosignSignStatement(name, digest) {
    return statement([{ name, digest }], formats_predicates/* PREDICATE_TYPES */.Cs.cosignSign, {});
}

// EXTERNAL MODULE: ./lib/json-slices.js
var json_slices = __webpack_require__(26929);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./lib/verify/key.js





function keyPolicy(pemText, inputName = 'key') {
    let key;
    try {
        key = core_dist.crypto.createPublicKey(pemText);
    }
    catch (err) {
        throw new errors/* ActionError */.l('INPUT', `${inputName}: not a PEM public key (${(0,errors/* errorLine */.B)(err)}); pass the cosign.pub written by cosign generate-key-pair`);
    }
    if (key.type !== 'public')
        throw new errors/* ActionError */.l('INPUT', `${inputName}: a private key was given; pass the public key (cosign.pub), never cosign.key`);
    const spki = key.export({ type: 'spki', format: 'der' });
    return { key, spki, hint: (0,external_node_crypto_.createHash)('sha256').update(spki).digest('base64') };
}
// Makes `policy.key` the only acceptable signer of `bundle`. Material that
// names another signer (a certificate for another key, another key's hint)
// is a policy failure, as a keyless signature by someone else is: tolerated
// when another item verifies with the key.
function pinKey(trust, bundle, policy) {
    const material = bundle.verificationMaterial.content;
    const rawCert = leafCertificateBytes(bundle);
    if (rawCert) {
        const certKey = core_dist.crypto.createPublicKey(core_dist.X509Certificate.parse(Buffer.from(rawCert)).publicKey);
        if (!certKey.equals(policy.key))
            throw new error_VerifyError('IDENTITY', 'signed by a different key: a certificate for another key, not the given key');
    }
    else if (material.$case === 'publicKey' && material.publicKey.hint && material.publicKey.hint !== policy.hint) {
        throw new error_VerifyError('IDENTITY', `signed by a different key (hint ${material.publicKey.hint}) than the given key (hint ${policy.hint})`);
    }
    return { ...trust, publicKey: () => ({ publicKey: policy.key, validFor: () => true }) };
}
// Verifies one serialized bundle as signed by `policy.key` (the signing
// action's self-check in key mode).
function verifyBundleWithKey(trust, bundleJSON, policy, artifact, opts = {}) {
    const bundle = parseBundle(bundleJSON);
    return verifyBundleMaterial(pinKey(trust, bundle, policy), bundle, artifact, opts);
}
// Under an identity policy, a bundle signed with a key is someone else's
// signature (a policy failure), and the fix is to verify it with that key.
function refuseKeyBundle(bundle) {
    const material = bundle.verificationMaterial.content;
    if (material.$case === 'publicKey') {
        throw new error_VerifyError('IDENTITY', `signed with a key (hint ${material.publicKey.hint || 'none'}), not keylessly; verify it with --key (the cosign.pub of that key)`);
    }
}

// EXTERNAL MODULE: ./lib/stages/targets.js + 1 modules
var targets = __webpack_require__(4647);
;// CONCATENATED MODULE: ./lib/stages/sign.js









// The signing stage: sign and log every artifact, verify what was produced
// against the trusted root, and write the bundle files. Nothing here touches
// the registry.
// Signs and logs every subject's artifacts, then self-verifies them all.
async function signAll(signer, targets, predicates, opts, log) {
    const signed = await Promise.all(targets.map((t, i) => signTarget(signer, t, opts.sign, opts.attach, predicates[i] ?? [])));
    const bundles = bundlesOf(signed);
    const indexes = bundles.flatMap((b) => (b.entry ? [b.entry.logIndex] : []));
    const unlogged = 'key' in opts.policy && opts.policy.insecureIgnoreTlog;
    if (unlogged)
        log.info(`Signed ${bundles.length} bundles for ${signed.length} image(s); none logged in Rekor (tlog-upload: false)`);
    else
        log.info(`Logged ${bundles.length} entries in Rekor for ${signed.length} image(s)${indexes.length ? ` (log indexes ${Math.min(...indexes)}–${Math.max(...indexes)})` : ''}`);
    for (const st of signed)
        verifySigned(opts.trust, st, opts.policy);
    const by = 'key' in opts.policy ? `the key of signing-key (hint ${opts.policy.key.hint})` : opts.policy.san;
    log.info(`Self-verified ${bundles.length} bundles${unlogged ? '' : ' against the trusted root'}: each signed by ${by}, each statement names its image's digest`);
    return signed;
}
// Signs and logs everything for one subject; the Rekor uploads are
// independent and run concurrently.
async function signTarget(signer, target, sign, attach, predicates) {
    const subject = [{ name: target.name, digest: target.digest }];
    const payload = simpleSigningPayload(target.name, target.digest);
    const wantsReferrers = attach === 'both' || attach === 'referrers';
    const [signature, signatureReferrer, ...attestations] = await Promise.all([
        sign ? signer.signMessage(payload).then((s) => ({ ...s, payload })) : undefined,
        sign && wantsReferrers ? signer.signStatement(cosignSignStatement(target.name, target.digest)) : undefined,
        ...predicates.map((p) => signer.signStatement(statement(subject, p.predicateType, p.document)).then((s) => ({ ...s, predicate: p }))),
    ]);
    return {
        target,
        signature,
        signatureReferrer,
        attestations,
    };
}
// Every bundle of a run.
function bundlesOf(signed) {
    return signed.flatMap((st) => [st.signature, st.signatureReferrer, ...st.attestations].filter((s) => s !== undefined));
}
// One bundle under the run's policy: by certificate identity, or by the key.
function verifySelfSigned(trust, policy, bundle, payload) {
    if ('key' in policy)
        verifyBundleWithKey(trust, bundle, policy.key, payload, { insecureIgnoreTlog: policy.insecureIgnoreTlog });
    else
        verifyBundle(trust, bundle, policy, payload);
}
// Runs one self-check; a failure becomes the one error line that names the likely fix.
function selfCheck(what, fn) {
    try {
        fn();
    }
    catch (err) {
        throw new errors/* ActionError */.l('VERIFY', `Self-verification of the ${what} failed (${(0,errors/* errorLine */.B)(err)}); check that trusted-root belongs to the Sigstore instance at fulcio-url and rekor-url`);
    }
}
function verifySigned(trust, st, policy) {
    const verify = (bundle, payload) => verifySelfSigned(trust, policy, bundle, payload);
    const where = `${st.target.name}@${st.target.digest}`;
    const check = (what, fn) => selfCheck(`${what} for ${where}`, fn);
    if (st.signature) {
        const sig = st.signature;
        check('signature', () => verify(sig.bundle, sig.payload));
    }
    for (const s of [st.signatureReferrer, ...st.attestations]) {
        if (!s)
            continue;
        check('attestation', () => {
            verify(s.bundle);
            const stmt = JSON.parse(Buffer.from(s.bundle.dsseEnvelope?.payload ?? '', 'base64').toString('utf8'));
            const hex = st.target.digest.replace('sha256:', '');
            if (!stmt.subject?.some((x) => x.digest?.sha256 === hex))
                throw new Error('statement subject is not the image digest');
        });
    }
}
// Writes each bundle as one JSON line, as actions/attest does.
async function writeBundles(dir, st) {
    const sub = (0,targets/* targetDir */.fu)(dir, st.target);
    await (0,promises_.mkdir)(sub, { recursive: true });
    const paths = new Map();
    const named = [
        ['signature', st.signature],
        ['signature-referrer', st.signatureReferrer],
        ...st.attestations.map((a) => [bundleName(a.predicate), a]),
    ];
    const used = new Set();
    for (const [base, s] of named) {
        if (!s)
            continue;
        // Two custom predicates may share a name (the same type from two documents).
        let name = base;
        for (let n = 2; used.has(name); n++)
            name = `${base}-${n}`;
        used.add(name);
        const path = (0,external_node_path_.join)(sub, `${name}.sigstore.json`);
        await writeBundleFile(path, s.bundle);
        paths.set(s, path);
    }
    return paths;
}
// A bundle file: one JSON line, written in slices (an SBOM bundle is
// megabytes, and its text would be one more copy of it).
function writeBundleFile(path, bundle) {
    return (0,promises_.writeFile)(path, (0,json_slices/* jsonLine */.rF)(bundle));
}
// `sbom` for CycloneDX (as before SPDX existed), `sbom-spdx` for SPDX.
function bundleName(p) {
    if (p.kind === 'predicate')
        return (0,custom_predicates/* predicateSlug */.HJ)(p);
    return p.kind === 'sbom' && p.format === 'spdx' ? 'sbom-spdx' : p.kind;
}

;// CONCATENATED MODULE: ./lib/stages/attach.js









const wants = (attach) => ({ tags: attach === 'both' || attach === 'tags', referrers: attach === 'both' || attach === 'referrers' });
function prepareAttach(targets, predicates, sign, opts, registries) {
    const { tags, referrers } = wants(opts.attach);
    const early = Promise.all(targets.map(async (t, i) => {
        const client = await registries(t.ref.registry);
        const repo = t.ref.repository;
        const layers = async (suffix) => (await client.getManifest(repo, (0,reference/* digestTag */.t9)(t.digest, suffix)))?.manifest.layers ?? [];
        const [sig, att, api] = await Promise.all([
            tags && sign ? layers('.sig') : undefined,
            tags && predicates[i]?.length ? layers('.att') : undefined,
            referrers && (sign || predicates[i]?.length) ? client.referrers(repo, t.digest) : undefined,
        ]);
        return [t, { sig, att, apiServed: api !== undefined }];
    })).then((entries) => new Map(entries));
    early.catch(() => undefined); // awaited by attachAll; this keeps a failure meanwhile from going unhandled
    return { early };
}
function certificateMaterial(identity) {
    return identity.kind === 'certificate' ? { certificatePEM: identity.certificatePEM, chainPEM: identity.chainPEM } : undefined;
}
// The id a referrer artifact has in the plan: image and position.
const artifactId = (t, i) => `${t.ref.registry}/${t.ref.repository}@${t.digest}#${i}`;
// What each image gets written, as data for the plan.
function referredOf(st) {
    return [
        ...(st.signatureReferrer ? [[st.signatureReferrer, formats_predicates/* PREDICATE_TYPES */.Cs.cosignSign]] : []),
        ...st.attestations.map((a) => [a, a.predicate.predicateType]),
    ];
}
function imageWrites(st, identity, opts, early) {
    const { tags, referrers } = wants(opts.attach);
    const t = st.target;
    const material = certificateMaterial(identity);
    const referred = referredOf(st);
    return {
        registry: t.ref.registry,
        repo: t.ref.repository,
        subject: { mediaType: t.manifest.mediaType, digest: t.digest, size: t.manifest.bytes.length },
        ...(tags && st.signature ? { sig: [signatureLayer(st.signature, material)] } : {}),
        ...(tags && st.attestations.length
            ? { att: { layers: st.attestations.map((a) => attestationLayer(a, a.predicate.predicateType, material)), replace: opts.replace } }
            : {}),
        ...(referrers && referred.length
            ? {
                referrers: {
                    artifacts: referred.map(([s, type], i) => ({ ...bundleArtifact(s.bundle, type), id: artifactId(t, i) })),
                    created: opts.created,
                    apiServed: early?.apiServed ?? false,
                },
            }
            : {}),
        existing: { sig: early?.sig, att: early?.att },
    };
}
// Every image's writes as one plan, and the bundle files beside them.
async function attachAll(signed, prep, registries, identity, outDir, opts) {
    const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const images = signed.filter((st) => st.target.kind === 'image');
    const attach = async () => {
        if (opts.attach === 'none' || !images.length)
            return { results: new Map(), referrerManifests: new Map() };
        const early = prep ? await prep.early : new Map();
        const plan = plan_planWrites(images.map((st) => imageWrites(st, identity, { ...opts, created }, early.get(st.target))));
        return { results: await executePlan(plan, registries), referrerManifests: plan.referrerManifests };
    };
    // The registry writes leave first; the bundle files are written meanwhile.
    const [written, bundles] = await Promise.all([attach(), Promise.all(signed.map((st) => writeBundles(outDir, st)))]);
    return signed.map((st, i) => imageResult(st, resultRows(st, bundles[i] ?? new Map(), written)));
}
// One row per logged artifact, with where the plan attached it.
function resultRows(st, bundles, { results, referrerManifests }) {
    const t = st.target;
    const image = t.kind === 'image' ? t : undefined;
    const tag = (suffix) => {
        const r = image && results.get(suffix === '.sig' ? plan_stepIds.sig(image.ref.repository, t.digest) : plan_stepIds.att(image.ref.repository, t.digest));
        return r?.digest ? { tag: (0,reference/* digestTag */.t9)(t.digest, suffix), tagManifest: r.digest } : {};
    };
    const fallback = image && results.get(plan_stepIds.fallback(image.ref.repository, t.digest));
    const where = new Map(image
        ? referredOf(st).map(([s], i) => {
            const manifest = referrerManifests.get(artifactId(image, i));
            return [s, { referrer: manifest, fallbackTag: manifest && fallback && !fallback.skipped ? (0,reference/* digestTag */.t9)(t.digest) : undefined }];
        })
        : []);
    const row = (kind, s, extra = {}) => ({
        kind,
        ...(s.entry ? { logIndex: s.entry.logIndex, uuid: s.entry.uuid, integratedTime: s.entry.integratedTime } : {}),
        bundle: bundles.get(s) ?? '',
        ...extra,
    });
    const rows = [];
    if (st.signature)
        rows.push(row('signature', st.signature, tag('.sig')));
    if (st.signatureReferrer) {
        const w = where.get(st.signatureReferrer);
        rows.push(row('signatureReferrer', st.signatureReferrer, { predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.cosignSign, referrer: w?.referrer, fallbackTag: w?.fallbackTag }));
    }
    const att = tag('.att');
    for (const a of st.attestations) {
        const w = where.get(a);
        rows.push(row(a.predicate.kind, a, {
            predicateType: a.predicate.predicateType,
            ...att,
            referrer: w?.referrer,
            fallbackTag: w?.fallbackTag,
            path: a.predicate.path,
            ...(a.predicate.format ? { format: a.predicate.format } : {}),
            ...(a.predicate.typeName ? { typeName: a.predicate.typeName } : {}),
            ...(a.predicate.kind === 'sbom' ? { components: componentCounts(a.predicate.document) } : {}),
        }));
    }
    return rows;
}
function imageResult(st, artifacts) {
    const t = st.target;
    const platforms = t.kind === 'image' && (0,targets/* isIndex */.nw)(t) ? { platforms: (0,targets/* platformsOf */.Wt)(t).map((p) => p.platform) } : {};
    return { name: t.name, digest: t.digest, platform: t.kind === 'image' ? t.platform : undefined, ...platforms, artifacts };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/@noble/curves/nist.js + 10 modules
var nist = __webpack_require__(13260);
;// CONCATENATED MODULE: ./lib/verify/prehashed.js
// node:crypto verifies ECDSA only over a message it hashes itself; checking a
// signature against a digest alone (the `sha256:<hex>` form of verify-bundle)
// needs the ECDSA verify step over a given hash, which @noble/curves provides
// (audited, dependency-light, constant API), rather than curve code of ours.


// Each curve signs with the one hash the Sigstore algorithm registry pairs
// with it (PKIX_ECDSA_P256_SHA_256, _P384_SHA_384, _P521_SHA_512).
const CURVES = {
    'P-256': { ecdsa: nist/* p256 */.s9, hash: 'sha256', bytes: 32 },
    'P-384': { ecdsa: nist/* p384 */.sL, hash: 'sha384', bytes: 48 },
    'P-521': { ecdsa: nist/* p521 */.Bt, hash: 'sha512', bytes: 64 },
};
// Verifies a DER ECDSA signature over an already computed digest. A key that
// cannot be checked this way is refused with the way out (pass the file).
function verifyPrehashed(key, signature, message) {
    const curve = curveOf(key);
    if (curve.hash !== message.algorithm || message.digest.length !== curve.bytes) {
        throw new error_VerifyError('SIGNATURE', `the signing key (ECDSA ${curveName(key)}) signs ${curve.hash} digests, not ${message.algorithm}: pass the artifact file instead of its digest`);
    }
    const jwk = key.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    try {
        // lowS: false — ECDSA as Sigstore (and node:crypto) verifies it accepts
        // either s; the check is the same as over the file, only pre-hashed.
        return curve.ecdsa.verify(signature, message.digest, point, { prehash: false, format: 'der', lowS: false });
    }
    catch {
        return false; // a malformed signature or point is a failed signature
    }
}
function curveName(key) {
    return key.asymmetricKeyType === 'ec' ? String(key.asymmetricKeyDetails?.namedCurve) : String(key.asymmetricKeyType);
}
function curveOf(key) {
    if (key.asymmetricKeyType === 'ed25519') {
        throw new error_VerifyError('SIGNATURE', 'an Ed25519 signature covers the artifact itself and cannot be checked against a digest: pass the artifact file instead of sha256:<hex>');
    }
    const named = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
    const byNodeName = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
    const curve = named ? byNodeName[named] : undefined;
    if (!curve) {
        throw new error_VerifyError('SIGNATURE', `a ${curveName(key)} signature cannot be checked against a digest here (only ECDSA P-256/P-384/P-521): pass the artifact file instead of sha256:<hex>`);
    }
    return CURVES[curve];
}

;// CONCATENATED MODULE: ./lib/verify/subject.js


// Binding checks: a valid signature proves who signed *something*; these
// prove that something names the image (or file) being verified.
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
// cosign's SimpleClaimVerifier: the simple-signing payload must name the digest.
function checkSimpleSigning(payload, digest) {
    let claimed;
    try {
        const doc = JSON.parse(payload.toString('utf8'));
        claimed = doc.critical?.image?.['docker-manifest-digest'];
    }
    catch {
        throw new VerifyError('MALFORMED', 'the signed payload is not simple-signing JSON');
    }
    if (claimed !== digest) {
        throw new VerifyError('DIGEST_MISMATCH', `digest mismatch: the signed payload names ${String(claimed)}, not ${digest}`);
    }
}
// The in-toto statement inside a DSSE bundle; cosign rejects other payload types.
function statementOf(bundle) {
    if (bundle.content.$case !== 'dsseEnvelope')
        throw new error_VerifyError('MALFORMED', 'expected a DSSE envelope, found a message signature');
    const env = bundle.content.dsseEnvelope;
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
        throw new error_VerifyError('MALFORMED', `DSSE payload type is "${env.payloadType}", expected ${IN_TOTO_PAYLOAD_TYPE}`);
    }
    try {
        const stmt = JSON.parse(Buffer.from(env.payload).toString('utf8'));
        if (typeof stmt.predicateType !== 'string' || !Array.isArray(stmt.subject))
            throw new Error('missing predicateType or subject');
        return stmt;
    }
    catch (err) {
        throw new error_VerifyError('MALFORMED', `the DSSE payload is not an in-toto statement (${err.message})`);
    }
}
// Some subject must carry the digest (cosign's --check-claims).
function checkStatementSubject(stmt, digest) {
    const [alg, hex] = digest.split(':');
    if (!stmt.subject.some((s) => s.digest?.[alg ?? ''] === hex)) {
        const named = stmt.subject
            .map((s) => Object.entries(s.digest ?? {})
            .map(([a, h]) => `${a}:${h}`)
            .join(','))
            .join(' ');
        throw new error_VerifyError('DIGEST_MISMATCH', `digest mismatch: the statement's subjects (${named || 'none'}) do not include ${digest}`);
    }
}
function sha256Hex(bytes) {
    return (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex');
}

;// CONCATENATED MODULE: ./lib/verify/artifact.js










// A release file larger than this is hashed as it streams and checked by its
// digest (the same ECDSA check) instead of being held in memory.
const STREAM_ABOVE_BYTES = (/* unused pure expression or super */ null && (256 * 1024 * 1024));
// `sha256:<hex>` is a digest; anything else is a path.
async function readArtifact(fileOrDigest, streamAbove = STREAM_ABOVE_BYTES) {
    // As the conformance protocol says: a digest-shaped name of an existing file is that file.
    if (/^sha256:[0-9a-f]{64}$/.test(fileOrDigest) && !existsSync(fileOrDigest))
        return { digest: fileOrDigest };
    try {
        if ((await stat(fileOrDigest)).size > streamAbove) {
            const hash = createHash('sha256');
            for await (const chunk of createReadStream(fileOrDigest))
                hash.update(chunk);
            return { digest: `sha256:${hash.digest('hex')}` };
        }
        return { bytes: await readFile(fileOrDigest) };
    }
    catch (err) {
        throw new ActionError('INPUT', `cannot read artifact "${fileOrDigest}" (${errorLine(err)}); pass a file or sha256:<hex>`);
    }
}
function verifyArtifactBundle(trust, bundleJSON, artifact, signer, opts = {}) {
    const bundle = parseBundle(bundleJSON);
    if ('key' in signer)
        trust = pinKey(trust, bundle, signer.key);
    else
        refuseKeyBundle(bundle);
    const digest = 'digest' in artifact ? artifact.digest : `sha256:${sha256Hex(artifact.bytes)}`;
    let verified;
    if (bundle.content.$case === 'dsseEnvelope') {
        verified = verifyBundleMaterial(trust, bundle, undefined, opts);
        checkStatementSubject(statementOf(bundle), digest);
    }
    else {
        checkMessageDigest(bundle, digest);
        checkLoggedDigest(bundle, digest);
        verified =
            'bytes' in artifact
                ? verifyBundleMaterial(trust, bundle, artifact.bytes, opts)
                : // Only the digest is known: the signature is checked over it (ECDSA
                    // signs the hash of the message, so this is the same check).
                    verifyBundleMaterial(trust, bundle, undefined, {
                        ...opts,
                        overDigest: (key, signature) => verifyPrehashed(key, signature, { algorithm: 'sha256', digest: Buffer.from(digest.slice('sha256:'.length), 'hex') }),
                    });
    }
    if ('policy' in signer)
        checkIdentity(signer.policy, verified.signer);
    return verified;
}
// The digest the log vouches for must be the artifact's.
function checkMessageDigest(bundle, digest) {
    if (bundle.content.$case !== 'messageSignature')
        return;
    const logged = Buffer.from(bundle.content.messageSignature.messageDigest?.digest ?? []).toString('hex');
    if (`sha256:${logged}` !== digest)
        throw new error_VerifyError('DIGEST_MISMATCH', `digest mismatch: the bundle signs sha256:${logged}, not ${digest}`);
}
function checkLoggedDigest(bundle, digest) {
    for (const entry of bundle.verificationMaterial.tlogEntries) {
        if (entry.kindVersion?.kind !== 'hashedrekord')
            continue;
        let logged;
        try {
            const spec = JSON.parse(Buffer.from(entry.canonicalizedBody).toString('utf8'))?.spec;
            const v1 = spec?.data?.hash;
            const v2 = spec?.hashedRekordV002?.data;
            if (v1 && v1.algorithm === 'sha256' && typeof v1.value === 'string')
                logged = `sha256:${v1.value.toLowerCase()}`;
            else if (v2 && (v2.algorithm === 'SHA2_256' || v2.algorithm === undefined) && typeof v2.digest === 'string')
                logged = `sha256:${Buffer.from(v2.digest, 'base64').toString('hex')}`;
        }
        catch {
            // an unreadable body is reported as not matching below
        }
        if (logged !== digest)
            throw new error_VerifyError('TLOG_BODY', `the log entry ${entry.logIndex} records ${logged ?? 'no sha256 digest'}, not ${digest}`);
    }
}

// EXTERNAL MODULE: ./lib/verify/pool.js
var pool = __webpack_require__(94939);
;// CONCATENATED MODULE: ./lib/stages/files.js








// Release files: one message signature per file (the `cosign sign-blob
// --bundle` shape), and one in-toto statement per predicate over all files
// as subjects (split only past the limits in formats/statements.ts). Files have
// no registry: their bundles are files, nothing is attached.
// Rekor uploads in flight for per-file signatures: thousands of files must
// not open thousands of connections.
const SIGN_CONCURRENCY = 8;
function fileStatements(provenance, predicates) {
    return [
        ...(provenance ? [{ kind: 'provenance', predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.slsaProvenance, document: provenance }] : []),
        ...predicates.map((p) => ({ kind: 'predicate', predicateType: p.predicateType, name: p.name, document: p.document })),
    ];
}
async function signFiles(signer, subjects, sign, statements) {
    const groups = subjectGroups(subjects);
    const [files, signedStatements] = await Promise.all([
        (0,pool/* mapConcurrent */._)(subjects, SIGN_CONCURRENCY, async (subject) => ({
            subject,
            signature: sign ? await signer.signDigest(Buffer.from(subject.digest.slice('sha256:'.length), 'hex')) : undefined,
        })),
        Promise.all(statements.flatMap((s) => groups.map(async (group, index) => ({
            ...s,
            subjects: group,
            signed: await signer.signStatement(statement(group, s.predicateType, s.document)),
            ...(groups.length > 1 ? { part: { index: index + 1, of: groups.length } } : {}),
        })))),
    ]);
    return { files, statements: signedStatements };
}
// Every file bundle against the trusted root and the run's identity, and
// each statement names exactly the files it was made for, before any file is written.
function verifySignedFiles(trust, signed, policy) {
    // A file is known by its digest only: the signature is checked over it.
    const signer = 'key' in policy ? { key: policy.key } : { policy };
    const opts = { insecureIgnoreTlog: 'key' in policy && policy.insecureIgnoreTlog };
    for (const f of signed.files) {
        const sig = f.signature;
        if (sig)
            selfCheck(`signature of ${f.subject.name}`, () => verifyArtifactBundle(trust, sig.bundle, { digest: f.subject.digest }, signer, opts));
    }
    for (const s of signed.statements) {
        selfCheck(`${s.name ?? s.predicateType} statement over ${s.subjects.length} file(s)`, () => {
            verifySelfSigned(trust, policy, s.signed.bundle);
            const stmt = JSON.parse(Buffer.from(s.signed.bundle.dsseEnvelope?.payload ?? '', 'base64').toString('utf8'));
            const named = new Set((stmt.subject ?? []).map((x) => `${x.name} ${x.digest?.sha256}`));
            const missing = s.subjects.find((f) => !named.has(`${f.name} ${f.digest.slice('sha256:'.length)}`));
            if (missing || named.size !== s.subjects.length)
                throw new Error(`the statement does not name exactly its files${missing ? ` (${missing.name} is missing)` : ''}`);
        });
    }
}
// Where each bundle goes: a file's signature next to it (`<file>.sigstore.json`,
// the name cosign sign-blob users and sigstore-python look for), a checksums
// line's signature and every statement in the run's folder under files/.
async function writeFileBundles(outDir, signed) {
    const paths = new Map();
    if (signed.files.length === 0)
        return paths;
    const dir = (0,external_node_path_.join)(outDir, 'files');
    await (0,promises_.mkdir)(dir, { recursive: true });
    const used = new Set();
    const unique = (base) => {
        let name = `${base}.sigstore.json`;
        for (let n = 2; used.has(name); n++)
            name = `${base}-${n}.sigstore.json`;
        used.add(name);
        return (0,external_node_path_.join)(dir, name);
    };
    for (const s of signed.statements) {
        const base = s.kind === 'provenance' ? 'provenance' : (0,custom_predicates/* predicateSlug */.HJ)(s);
        paths.set(s.signed, unique(s.part ? `${base}-${s.part.index}-of-${s.part.of}` : base));
    }
    for (const f of signed.files) {
        if (!f.signature)
            continue;
        paths.set(f.signature, f.subject.path ? `${f.subject.path}.sigstore.json` : unique(safeName(f.subject.name)));
    }
    await (0,pool/* mapConcurrent */._)([...paths], 16, ([s, path]) => writeBundleFile(path, s.bundle));
    return paths;
}
// A checksums line's name as one file name in the output folder: no
// directories, nothing that climbs out of it.
function safeName(name) {
    return name.replace(/[^A-Za-z0-9._+-]+/g, '_').replace(/^[.]+/, '_') || '_';
}
// The result rows: each file with its signature and every statement naming it.
function fileResults(signed, paths) {
    const row = (kind, s, extra = {}) => ({
        kind,
        ...(s.entry ? { logIndex: s.entry.logIndex, uuid: s.entry.uuid, integratedTime: s.entry.integratedTime } : {}),
        bundle: paths.get(s) ?? '',
        ...extra,
    });
    const statementsOf = new Map();
    for (const st of signed.statements)
        for (const f of st.subjects)
            statementsOf.set(f.name, [...(statementsOf.get(f.name) ?? []), st]);
    return signed.files.map(({ subject, signature }) => ({
        name: subject.name,
        digest: subject.digest,
        ...(subject.path ? { path: subject.path } : {}),
        artifacts: [
            ...(signature ? [row('signature', signature)] : []),
            ...(statementsOf.get(subject.name) ?? []).map((st) => row(st.kind, st.signed, {
                predicateType: st.predicateType,
                ...(st.name ? { typeName: st.name } : {}),
                subjects: st.subjects.length,
                ...(st.part ? { part: `${st.part.index}/${st.part.of}` } : {}),
            })),
        ],
    }));
}
// The run log's account of the files: counts and ranges, not thousands of lines.
function fileLogLines(signed, paths, san) {
    const signedFiles = signed.files.filter((f) => f.signature).length;
    const sigs = signed.files.flatMap((f) => (f.signature?.entry ? [f.signature.entry.logIndex] : []));
    const bundles = signedFiles + signed.statements.length;
    const lines = bundles
        ? [`Self-verified ${bundles} release-file bundles: each signed by ${san || 'the key of signing-key'}, each names its files' digests`]
        : [];
    if (signedFiles) {
        const onDisk = signed.files.filter((f) => f.subject.path && f.signature).length;
        const where = onDisk === signedFiles
            ? 'each bundle next to its file as <file>.sigstore.json'
            : `${onDisk ? `bundles of the ${onDisk} file(s) on disk next to them, ` : ''}bundles of the subject-checksums files in the run folder's files/`;
        lines.push(`Signed ${signed.files.length} release file(s): ${sigs.length ? `Rekor log indexes ${Math.min(...sigs)}–${Math.max(...sigs)}` : 'not logged in Rekor'}; ${where}`);
    }
    for (const s of signed.statements) {
        const what = s.kind === 'provenance' ? 'SLSA provenance' : `attestation ${s.name ?? s.predicateType}`;
        lines.push(`${what} over ${s.subjects.length} release file(s)${s.part ? ` (part ${s.part.index} of ${s.part.of})` : ''}: ${s.signed.entry ? `Rekor log index ${s.signed.entry.logIndex}` : 'not logged in Rekor'}, bundle ${paths.get(s.signed) ?? ''}`);
    }
    return lines;
}
// The files stage in one call: sign each file and the statements over them,
// self-verify, write the bundles, log, and return the result rows. Runs
// beside the images' signing; no registry is involved.
async function signReleaseFiles(signer, files, opts, log) {
    if (!files.length)
        return [];
    const signed = await signFiles(signer, files, opts.sign, fileStatements(opts.provenance, opts.predicates));
    verifySignedFiles(opts.trust, signed, opts.policy);
    const paths = await writeFileBundles(opts.outDir, signed);
    for (const line of fileLogLines(signed, paths, signer.san))
        log.info(line);
    return fileResults(signed, paths);
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 10 modules
var core = __webpack_require__(57264);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: ./lib/identity.js
var lib_identity = __webpack_require__(95365);
// EXTERNAL MODULE: ./lib/log.js
var lib_log = __webpack_require__(97309);
;// CONCATENATED MODULE: ./lib/trust-files.js


async function writeTrustFiles(dir, trustedRoot, opts) {
    const text = await (0,promises_.readFile)(trustedRoot, 'utf8');
    const root = JSON.parse(text);
    const files = { json: (0,external_node_path_.join)(dir, 'trusted_root.json'), jsonl: (0,external_node_path_.join)(dir, 'trusted_root.jsonl') };
    await (0,promises_.writeFile)(files.json, text.endsWith('\n') ? text : `${text}\n`);
    await (0,promises_.writeFile)(files.jsonl, JSON.stringify(root) + '\n');
    if (opts.legacy)
        files.legacy = await writeLegacy(dir, root, opts.rekorURL);
    return files;
}
async function writeLegacy(dir, root, rekorURL) {
    const certs = (root.certificateAuthorities ?? []).flatMap((ca) => ca.certChain?.certificates ?? []).map((c) => c.rawBytes ?? '');
    // cosign takes one key per variable: the open shard of the log this run
    // wrote to, and the CT log that is still open.
    const tlog = current((root.tlogs ?? []).filter((t) => sameURL(t.baseUrl, rekorURL))) ?? current(root.tlogs);
    const ctlog = current(root.ctlogs);
    if (!tlog?.publicKey?.rawBytes || certs.length === 0)
        return undefined;
    const out = { roots: (0,external_node_path_.join)(dir, 'fulcio_roots.pem'), rekorKey: (0,external_node_path_.join)(dir, 'rekor.pub') };
    await (0,promises_.writeFile)(out.roots, certs.map((c) => pem('CERTIFICATE', c)).join(''));
    await (0,promises_.writeFile)(out.rekorKey, pem('PUBLIC KEY', tlog.publicKey.rawBytes));
    if (ctlog?.publicKey?.rawBytes) {
        out.ctlogKey = (0,external_node_path_.join)(dir, 'ctlog.pub');
        await (0,promises_.writeFile)(out.ctlogKey, pem('PUBLIC KEY', ctlog.publicKey.rawBytes));
    }
    return out;
}
const current = (entries) => [...(entries ?? [])].reverse().find((e) => !e.publicKey?.validFor?.end || Date.parse(e.publicKey.validFor.end) > Date.now());
const sameURL = (a, b) => a !== undefined && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
function pem(label, b64) {
    return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}

;// CONCATENATED MODULE: ./lib/results.js
// The `results` output: one object per image, artifacts keyed by kind.
// With two SBOM formats, `sbom` is the CycloneDX one (what it always meant)
// and `sbomSpdx` the SPDX one; an SPDX-only run has it under both keys.
// Release files follow the images, one object per file keyed `file`; custom
// predicates are a `predicates` array on both.
function resultsJSON(images, files = []) {
    return JSON.stringify([
        ...images.map((img) => {
            const primary = primarySbom(img.artifacts);
            const predicates = img.artifacts.filter((a) => a.kind === 'predicate').map(({ kind: _, ...rest }) => rest);
            const entries = img.artifacts.flatMap((a) => {
                const { kind, ...rest } = a;
                if (kind === 'predicate')
                    return [];
                if (kind !== 'sbom')
                    return [[kind, rest]];
                return [...(a === primary ? [['sbom', rest]] : []), ...(a.format === 'spdx' ? [['sbomSpdx', rest]] : [])];
            });
            return {
                image: `${img.name}@${img.digest}`,
                name: img.name,
                digest: img.digest,
                ...(img.platform ? { platform: img.platform } : {}),
                ...Object.fromEntries(entries),
                ...(predicates.length ? { predicates } : {}),
            };
        }),
        ...files.map((f) => {
            const predicates = f.artifacts.filter((a) => a.kind === 'predicate').map(({ kind: _, ...rest }) => rest);
            const entries = f.artifacts.filter((a) => a.kind !== 'predicate').map(({ kind, ...rest }) => [kind, rest]);
            return {
                file: f.name,
                name: f.name,
                digest: f.digest,
                ...(f.path ? { path: f.path } : {}),
                ...Object.fromEntries(entries),
                ...(predicates.length ? { predicates } : {}),
            };
        }),
    ]);
}
// The SBOM attestation the single `sbom-*` outputs and the `sbom` key
// describe: CycloneDX when the run made one, else the only SBOM.
function primarySbom(artifacts) {
    const sboms = artifacts.filter((a) => a.kind === 'sbom');
    return sboms.find((a) => a.format !== 'spdx') ?? sboms[0];
}

;// CONCATENATED MODULE: ./lib/sigstore/bundle.js

// Pure converters between Rekor v1 responses and the formats verifiers read.
// A Rekor v1 entry as a bundle's tlog entry: inclusion promise (SET) and
// inclusion proof, kind and version taken from the logged body itself.
function toTlogEntry(entry) {
    const body = JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8'));
    const proof = entry.verification?.inclusionProof;
    const set = entry.verification?.signedEntryTimestamp;
    return {
        logIndex: String(entry.logIndex),
        logId: { keyId: Buffer.from(entry.logID, 'hex') },
        kindVersion: { kind: body.kind, version: body.apiVersion },
        integratedTime: String(entry.integratedTime),
        inclusionPromise: set ? { signedEntryTimestamp: Buffer.from(set, 'base64') } : undefined,
        inclusionProof: proof
            ? {
                logIndex: String(proof.logIndex),
                treeSize: String(proof.treeSize),
                rootHash: Buffer.from(proof.rootHash, 'hex'),
                hashes: proof.hashes.map((h) => Buffer.from(h, 'hex')),
                checkpoint: { envelope: proof.checkpoint },
            }
            : undefined,
        canonicalizedBody: Buffer.from(entry.body, 'base64'),
    };
}
// The bundle as JSON, with the zero values proto3 JSON leaves out written
// out: the first entry of a log or shard has logIndex 0 and an inclusion
// proof without hashes, and sigstore-python (4.5) refuses a bundle missing
// those keys. Parsers must accept defaults written out, so every verifier
// reads these bytes.
function bundleJSON(bundle) {
    const json = (0,dist/* bundleToJSON */.ev)(bundle);
    const entries = json.verificationMaterial.tlogEntries ?? [];
    // Spreading over the defaults keeps proto field order: a key already
    // present keeps its place, a missing one lands where proto3 JSON puts it.
    const zero = { logIndex: '0' };
    json.verificationMaterial.tlogEntries = entries.map((e) => {
        const proof = e.inclusionProof && { ...zero, ...{ rootHash: e.inclusionProof.rootHash, treeSize: e.inclusionProof.treeSize, hashes: [] }, ...e.inclusionProof };
        return { ...zero, ...e, ...(proof ? { inclusionProof: proof } : {}) };
    });
    return json;
}
// Where a maintainer can look at an entry: the search UI for the public-good
// log, the API for any other instance.
function rekorEntryURL(rekorURL, logIndex) {
    const base = rekorURL.replace(/\/+$/, '');
    if (base === 'https://rekor.sigstore.dev')
        return `https://search.sigstore.dev/?logIndex=${logIndex}`;
    return `${base}/api/v1/log/entries?logIndex=${logIndex}`;
}

;// CONCATENATED MODULE: ./lib/summary.js


// Pure: results in, step-summary markdown out. A verdict line, then per image
// a table of what was logged and where it was attached, and its verify
// commands folded in a <details> block. Every value that came from a user or
// a registry lands in a code span, a shell-quoted argument or escaped text;
// the only raw HTML is <details>/<summary>.
const CYCLONEDX = formats_predicates/* PREDICATE_TYPES */.Cs.cyclonedx;
const VERIFY_ACTION_PLACEHOLDER = 'OWNER/sign-attest-action/verify@v1';
const LABELS = {
    signature: 'Signature (cosign)',
    signatureReferrer: 'Signature (bundle)',
    sbom: 'SBOM',
    provenance: 'SLSA provenance',
    predicate: 'Attestation',
};
function renderSummary(images, ctx, files = []) {
    const out = verdict(images, ctx, files);
    if (ctx.note)
        out.push(`> ${html(ctx.note)}`, '');
    const explained = new Set();
    for (const img of images)
        out.push(...imageSection(img, ctx, explained));
    if (files.length)
        out.push(...filesSection(files, ctx));
    return out.join('\n') + '\n';
}
// The page at a glance: what happened, who signed, that it all verified.
function verdict(images, ctx, files) {
    const kinds = new Set([...images, ...files].flatMap((i) => i.artifacts.map((a) => a.kind)));
    const signed = kinds.has('signature') || kinds.has('signatureReferrer');
    const attested = kinds.has('sbom') || kinds.has('provenance') || kinds.has('predicate');
    const what = signed && attested ? 'Signed and attested' : signed ? 'Signed' : 'Attested';
    const platforms = images.filter((i) => i.platform).length;
    const indexes = images.filter((i) => i.platforms).length;
    const imageCount = platforms && indexes ? `${n(images.length, 'image')} (${n(indexes, 'index', 'indexes')} and ${n(platforms, 'platform image')})` : n(images.length, 'image');
    const fileCount = n(files.length, 'release file');
    const count = images.length && files.length ? `${imageCount} and ${fileCount}` : files.length ? fileCount : imageCount;
    const time = ctx.elapsedMs === undefined ? '' : ` in ${duration(ctx.elapsedMs)}`;
    // A statement over many files is one entry, listed under each of them.
    const entries = images.reduce((sum, i) => sum + i.artifacts.length, 0) + new Set(files.flatMap((f) => f.artifacts.map((a) => a.uuid))).size;
    const root = ctx.trustFiles ? 'the custom trusted root' : 'the Sigstore public-good trusted root';
    const attached = ctx.attach === 'none' ? ' Nothing was attached to the registry (`attach: none`): the bundle files are listed in the `results` output.' : '';
    if (ctx.key)
        return [`## ✅ ${what} ${count}${time}`, '', ...keyVerdict(ctx.key, entries, root, attached)];
    return [
        `## ✅ ${what} ${count}${time}`,
        '',
        `Signed by ${codeSpan(ctx.san)} (issuer ${codeSpan(ctx.issuer)}). All ${n(entries, 'Rekor entry', 'Rekor entries')} were self-verified against ${root} before anything was written to the registry.${attached}`,
        '',
        ...storeLines(ctx),
    ];
}
// GitHub's attestation store: how many bundles it took, with a link to the
// repository's Attestations page, and any warning in words.
function storeLines(ctx) {
    const s = ctx.store;
    if (!s)
        return [];
    const page = `[${summary_text(s.repository)}’s attestations](${linkURL(s.page)})`;
    const stored = s.stored
        ? `${n(s.stored, 'bundle')} of ${s.total} stored in ${page}: \`gh attestation verify\` finds them there too (the commands below read the registry, \`--bundle-from-oci\`, which works wherever the image can be pulled).`
        : `Nothing stored in ${page}.`;
    return [`**GitHub attestation store:** ${stored}${s.warnings.map((w) => ` ⚠️ ${summary_text(w)}`).join('')}`, ''];
}
// Key signing: who signed is the key, and without a log verifiers must be
// told what they give up.
function keyVerdict(key, entries, root, attached) {
    const signer = `Signed with the key of \`signing-key\` (public key hint ${codeSpan(key.hint)}): verifiers pin its public key, \`cosign.pub\`, with \`--key\`.`;
    if (key.tlog)
        return [
            `${signer} All ${n(entries, 'Rekor entry', 'Rekor entries')} were self-verified against ${root} before anything was written to the registry.${attached}`,
            '',
        ];
    return [
        `${signer} All ${n(entries, 'bundle')} were self-verified with the key before anything was written to the registry.${attached}`,
        '',
        '> **Not logged in a transparency log** (`tlog-upload: false`). Nobody can see or audit these signatures, and a leaked key could sign other images unseen. ' +
            'Verifiers must accept that explicitly with `--insecure-ignore-tlog` (cosign and the `sign-attest` CLI) or `insecure-ignore-tlog: true` (the verify action), as in the commands below; without it they reject these signatures for having no log entry.',
        '',
    ];
}
function imageSection(img, ctx, explained) {
    const what = img.platform
        ? ` (${summary_text(img.platform)})`
        : img.platforms
            ? ` (multi-platform index${img.platforms.length ? `: ${summary_text(img.platforms.join(', '))}` : ''})`
            : '';
    return [
        `### ${codeSpan(img.name)}${what}`,
        '',
        codeSpan(`${img.name}@${img.digest}`),
        '',
        ...artifactTable(img, ctx),
        ...notes(img, explained),
        ...verifyDetails(img, ctx),
    ];
}
// One row per Rekor entry, three columns so that a full referrer digest
// fits the page. cosign tags are named after the image digest, so a cell
// shows only their suffix and the note below names them once.
function artifactTable(img, ctx) {
    const rows = img.artifacts.map((a) => {
        const where = [
            ...(a.tag ? [`tag ${codeSpan(tagSuffix(a.tag, img.digest), true)}`] : []),
            ...(a.referrer ? [`referrer ${codeSpan(a.referrer, true)}`] : []),
            ...(a.attestationId !== undefined && a.attestationUrl ? [`[attestation ${a.attestationId}](${linkURL(a.attestationUrl)})`] : []),
        ];
        return [
            label(a),
            a.logIndex === undefined ? 'not logged' : ctx.rekorVersion === 2 ? String(a.logIndex) : rekorLink(ctx.rekorURL, a.logIndex),
            where.length ? where.join(', ') : 'not attached (bundle file only)',
        ];
    });
    return [['Artifact', 'Rekor entry', 'Attached as'], ['---', '---', '---'], ...rows].map((cells) => `| ${cells.join(' | ')} |`).concat('');
}
// Predicate type URIs are listed under the table: in a cell they widen it
// past the page next to a full digest.
function label(a) {
    if (a.kind === 'predicate')
        return `${LABELS.predicate} (${summary_text(a.typeName ?? predicateWord(a.predicateType ?? ''))})`;
    if (a.kind !== 'sbom')
        return LABELS[a.kind];
    const format = a.predicateType === CYCLONEDX ? 'CycloneDX' : a.predicateType?.startsWith('https://spdx.dev/') ? 'SPDX' : undefined;
    return format ? `SBOM (${format})` : LABELS.sbom;
}
// What a maintainer may wonder about the table, in words: each explanation
// in full under the first image it concerns, in short under the next ones.
function notes(img, explained) {
    const once = (key, full, short) => (explained.has(key) ? short : (explained.add(key), full));
    const out = [];
    const base = img.digest.replace(':', '-');
    const suffixes = [...new Set(img.artifacts.flatMap((a) => (a.tag ? [tagSuffix(a.tag, img.digest)] : [])))];
    const fallback = img.artifacts.some((a) => a.fallbackTag);
    const referrers = img.artifacts.some((a) => a.referrer);
    if (suffixes.length || fallback) {
        const parts = [
            ...(suffixes.length ? [`${suffixes.map((t) => codeSpan(t)).join(' and ')} hold the cosign format`] : []),
            ...(fallback
                ? [
                    once('fallback', 'the bare tag lists the OCI referrers, as this registry has no referrers API (the OCI fallback that cosign, gh and oras read)', 'the bare tag lists the OCI referrers'),
                ]
                : []),
        ];
        out.push(`- **Tags**, named after the digest ${codeSpan(base)}: ${parts.join('; ')}.`);
    }
    if (referrers && !fallback)
        out.push('- **Referrers:** listed by the registry’s referrers API.');
    const sig = img.artifacts.find((a) => a.kind === 'signature');
    if (sig && img.artifacts.some((a) => a.kind === 'signatureReferrer') && !explained.has('two signatures')) {
        explained.add('two signatures');
        out.push(`- **Why two signatures:** one per format verifiers read, each with its own Rekor entry: cosign’s classic signature${sig.tag ? ' (the `.sig` tag, read by cosign 2)' : ' (not attached with `attach: referrers`; its bundle file is in the `results` output)'} and a Sigstore bundle (the referrer, read by cosign 3).`);
    }
    const attestations = img.artifacts.filter(isAttestation);
    if (attestations.length) {
        const described = attestations.map((a) => {
            const figures = a.kind === 'sbom' && a.components ? ` with ${sbomFigures(img, a.components)}` : '';
            const what = a.kind === 'sbom' ? 'SBOM' : a.kind === 'provenance' ? 'SLSA provenance' : summary_text(a.typeName ?? 'custom predicate');
            return `${what} ${codeSpan(a.predicateType ?? '')}${figures}`;
        });
        out.push(`- **Attestations:** ${described.join('; ')}.`);
    }
    return out.length ? [...out, ''] : [];
}
function sbomFigures(img, components) {
    const counts = Object.entries(components);
    const total = counts.reduce((sum, [, c]) => sum + c, 0);
    if (img.platforms && counts.every(([type]) => type === 'oci')) {
        return `the ${n(total, 'platform image')} of this index as its components (each platform's packages are in its own SBOM, below)`;
    }
    if (total === 0)
        return 'no components';
    return `${n(total, 'component')} (${counts.map(([type, c]) => `${c} ${summary_text(type)}`).join(', ')})`;
}
// The verify commands for one image, folded: cosign and gh, the verify
// action, and the CLI. Each command runs verbatim in sh and bash.
function verifyDetails(img, ctx) {
    const subject = img.platform ? summary_text(img.platform) : img.platforms ? 'this index' : 'this image';
    const out = [
        '<details>',
        `<summary>Verify ${subject}: ${ctx.attach === 'none' ? 'the bundle files with the sign-attest CLI' : `cosign, ${ctx.key ? '' : 'gh, '}the verify action, the sign-attest CLI`}</summary>`,
        '',
    ];
    const cli = 'the `sign-attest` CLI (in a checkout of sign-attest-action, after `npm ci`)';
    if (ctx.attach === 'none') {
        out.push(`Nothing is in the registry, so verify each attestation's bundle file against the image digest with ${cli}:`, '');
        out.push('```sh', ...bundleCommands(img, ctx).join('\n\n').split('\n'), '```', '');
    }
    else {
        const tools = cosignAndGh(img, ctx);
        out.push(`With ${tools.some((c) => c.startsWith('gh ')) ? 'cosign and gh' : 'cosign'}:`, '', '```sh', ...tools.join('\n\n').split('\n'), '```', '');
        const action = ctx.verifyAction ?? VERIFY_ACTION_PLACEHOLDER;
        const where = ctx.verifyAction ? '' : ' (`OWNER/…@v1`: the repository and version you use the signing action from)';
        out.push(`In a workflow, with the verify action${where}:`, '', '```yaml', ...verifyActionStep(img, ctx, action), '```', '');
        out.push(`From a terminal, with ${cli}:`, '', '```sh', ...cliCommand(img, ctx).split('\n'), '```', '');
    }
    if (ctx.trustFiles)
        out.push('These name the trusted root this run wrote on the runner; elsewhere, name your copy of the instance’s `trusted_root.json`.', '');
    out.push('</details>', '');
    return out;
}
// Code blocks show about this many columns before they scroll sideways.
const WIDTH = 100;
// A flag and its value on one line, or the value on the next when together
// they would scroll (a long SAN); either way the shell reads the same words.
const flag = (name, value) => (`  ${name} ${value} \\`.length > WIDTH ? `${name} \\\n    ${value}` : `${name} ${value}`);
// Who must have signed: the identity, or (key signing) the public key.
const identityLines = (ctx) => ctx.key
    ? [`--key ${KEY_FILE}`, ...(ctx.key.tlog ? [] : ['--insecure-ignore-tlog'])]
    : [flag('--certificate-identity', sh(ctx.san)), flag('--certificate-oidc-issuer', sh(ctx.issuer))];
// The public key of signing-key, as cosign generate-key-pair names it.
const KEY_FILE = 'cosign.pub';
// One argument (or flag) per continuation line, so nothing scrolls sideways
// but a single long argument such as the image reference itself.
const command = (head, args) => [head, ...args.map((a) => `  ${a}`)].join(' \\\n');
function cosignType(a) {
    if (a.kind === 'provenance')
        return 'slsaprovenance1';
    if (a.typeName)
        return sh(a.typeName);
    // A custom predicate given by URI still gets cosign's short name when it has one.
    if (a.kind === 'predicate')
        return sh((0,formats_predicates/* cosignTypeName */.JC)(a.predicateType ?? ''));
    return a.predicateType === CYCLONEDX ? 'cyclonedx' : sh(a.predicateType ?? '');
}
const isAttestation = (a) => a.kind === 'sbom' || a.kind === 'provenance' || a.kind === 'predicate';
function cosignAndGh(img, ctx) {
    const ref = sh(`${img.name}@${img.digest}`);
    const cosign = cosignCommand(ref, ctx);
    const find = (kind) => img.artifacts.find((a) => a.kind === kind);
    const sbom = find('sbom');
    const provenance = find('provenance');
    const commands = [];
    if (find('signature'))
        commands.push(cosign('verify'));
    if (provenance)
        commands.push(cosign(`verify-attestation --type ${cosignType(provenance)}`));
    if (sbom)
        commands.push(cosign(`verify-attestation --type ${cosignType(sbom)}`));
    const predicates = img.artifacts.filter((a) => a.kind === 'predicate');
    for (const p of predicates)
        commands.push(cosign(`verify-attestation --type ${cosignType(p)}`));
    // gh verifies certificates from GitHub workflows only, not key signatures.
    if (ctx.repository && !ctx.key && (provenance || sbom || predicates.length) && ctx.attach !== 'tags') {
        const custom = ctx.trustFiles ? [`--custom-trusted-root ${sh(ctx.trustFiles.jsonl)}`] : [];
        const gh = (extra) => command('gh attestation verify', [`oci://${ref}`, `--bundle-from-oci --repo ${sh(ctx.repository ?? '')}`, ...extra, ...custom]);
        if (provenance)
            commands.push(gh([]));
        if (sbom)
            commands.push(gh([`--predicate-type ${sh(sbom.predicateType ?? '')}`]));
        for (const p of predicates)
            commands.push(gh([`--predicate-type ${sh(p.predicateType ?? '')}`]));
    }
    return commands;
}
// A custom root goes to cosign as --trusted-root, except where only tags are
// written: cosign 2 reads .sig/.att against a custom instance only from
// PEM files named by environment variables (cosign 3 reads those as well).
function cosignCommand(ref, ctx) {
    // A Rekor v2 entry has no integrated time: cosign 2 accepts the TSA's only when asked (cosign 3 takes the flag too).
    const ts = ctx.rekorVersion === 2 ? ' --use-signed-timestamps' : '';
    const legacy = ctx.attach === 'tags' ? ctx.trustFiles?.legacy : undefined;
    if (legacy) {
        const vars = [
            `SIGSTORE_ROOT_FILE=${sh(legacy.roots)}`,
            `SIGSTORE_REKOR_PUBLIC_KEY=${sh(legacy.rekorKey)}`,
            ...(legacy.ctlogKey ? [`SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=${sh(legacy.ctlogKey)}`] : []),
        ];
        return (cmd) => `${vars.join(' \\\n  ')} \\\n  ${command(`cosign ${cmd}${ts}`, [ref, ...identityLines(ctx)]).replace(/\n/g, '\n  ')}`;
    }
    const root = ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : [];
    return (cmd) => command(`cosign ${cmd}${ts}`, [ref, ...identityLines(ctx), ...root]);
}
// Predicate types as the verify action and the CLI take them.
function requiredTypes(img) {
    return img.artifacts
        .filter(isAttestation)
        .map((a) => (a.kind === 'provenance' ? 'slsaprovenance1' : a.typeName ? a.typeName : a.predicateType === CYCLONEDX ? 'cyclonedx' : (a.predicateType ?? '')));
}
const hasSignature = (img) => img.artifacts.some((a) => a.kind === 'signature' || a.kind === 'signatureReferrer');
function verifyActionStep(img, ctx, action) {
    const types = requiredTypes(img);
    const input = (key, value) => {
        const line = `    ${key}: ${yaml(value)}`;
        // Folded (>-) puts a long plain value on its own line; YAML reads the same string.
        return line.length > WIDTH && yaml(value) === value ? `    ${key}: >-\n      ${value}` : line;
    };
    return [
        `- uses: ${yaml(action)}`,
        '  with:',
        input('images', `${img.name}@${img.digest}`),
        ...(ctx.key
            ? [input('key', KEY_FILE), ...(ctx.key.tlog ? [] : ["    insecure-ignore-tlog: 'true'"])]
            : [input('certificate-identity', ctx.san), input('certificate-oidc-issuer', ctx.issuer)]),
        ...(types.length ? [input('predicate-types', types.join(','))] : []),
        ...(hasSignature(img) ? [] : ["    require-signature: 'false'"]),
        ...(ctx.trustFiles ? [input('trusted-root', ctx.trustFiles.json)] : []),
    ].flatMap((l) => l.split('\n'));
}
function cliCommand(img, ctx) {
    const types = requiredTypes(img);
    return command('npx sign-attest verify', [
        sh(`${img.name}@${img.digest}`),
        ...identityLines(ctx),
        ...(types.length ? [types.map((t) => `--type ${sh(t)}`).join(' ')] : []),
        ...(hasSignature(img) ? [] : ['--no-require-signature']),
        ...(ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : []),
    ]);
}
// With `attach: none`, each attestation bundle against the image digest.
function bundleCommands(img, ctx) {
    return img.artifacts
        .filter((a) => isAttestation(a) && a.bundle)
        .map((a) => command('npx sign-attest verify-bundle', [
        `--bundle ${sh(a.bundle)}`,
        ...identityLines(ctx),
        ...(ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : []),
        sh(img.digest),
    ]));
}
// `sha256-<hex>.sig` → `.sig`: the digest part is the image's own.
function tagSuffix(tag, digest) {
    const base = digest.replace(':', '-');
    return tag.startsWith(base) && tag.length > base.length ? tag.slice(base.length) : tag;
}
// Release files: a table of the first files with their signature entries,
// the statements over all of them, and the verify commands for one file (the
// same for every file but the name). A step summary holds at most 1 MiB, so
// thousands of files are listed in the `results` output, not here.
const FILE_ROWS = 20;
function filesSection(files, ctx) {
    const out = ['### Release files', ''];
    const rows = files.slice(0, FILE_ROWS).map((f) => {
        const sig = f.artifacts.find((a) => a.kind === 'signature');
        return [
            codeSpan(f.name, true),
            codeSpan(f.digest.replace(/^sha256:/, '').slice(0, 12), true),
            sig ? logCell(ctx, sig.logIndex) : 'not signed',
            sig ? codeSpan(sig.bundle, true) : '',
        ];
    });
    out.push(...[['File', 'sha256', 'Signature (Rekor entry)', 'Bundle'], ['---', '---', '---', '---'], ...rows].map((c) => `| ${c.join(' | ')} |`));
    if (files.length > FILE_ROWS)
        out.push('', `…and ${n(files.length - FILE_ROWS, 'more file')}: every file, with its bundles and log indexes, is in the \`results\` output.`);
    out.push('');
    const statements = [...new Map(files.flatMap((f) => f.artifacts.filter((a) => a.kind !== 'signature').map((a) => [a.uuid ?? a.bundle, a]))).values()];
    if (statements.length) {
        const described = statements.map((a) => `${a.kind === 'provenance' ? 'SLSA provenance' : summary_text(a.typeName ?? 'custom predicate')} ${codeSpan(a.predicateType ?? '')} over ${n(a.subjects ?? 0, 'file')}${a.part ? ` (part ${a.part})` : ''}, Rekor entry ${logCell(ctx, a.logIndex)}, bundle ${codeSpan(a.bundle)}`);
        out.push(`- **Attestations:** ${described.join('; ')}.`);
    }
    if (files.some((f) => !f.path && f.artifacts.some((a) => a.kind === 'signature'))) {
        out.push('- **Files from subject-checksums** are not on this runner: their signature bundles are in the run folder above, named after the file; put each next to its file to verify.');
    }
    out.push('');
    const first = files[0];
    out.push('<details>', `<summary>Verify a release file (${summary_text(first.name)}; the same for every file): cosign, gh, the sign-attest CLI</summary>`, '');
    out.push('```sh', ...fileCommands(first, ctx).join('\n\n').split('\n'), '```', '');
    if (ctx.trustFiles)
        out.push('These name the trusted root this run wrote on the runner; elsewhere, name your copy of the instance’s `trusted_root.json`.', '');
    out.push('</details>', '');
    return out;
}
function fileCommands(f, ctx) {
    // The name relative to the workspace: the commands run from a checkout or a download folder.
    const file = sh(f.name);
    const root = ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : [];
    const commands = [];
    const sig = f.artifacts.find((a) => a.kind === 'signature');
    const statements = f.artifacts.filter((a) => a.kind !== 'signature');
    // A Rekor v2 entry has no integrated time: cosign 2 takes the TSA's only when asked.
    const ts = ctx.rekorVersion === 2 ? ' --use-signed-timestamps' : '';
    if (sig)
        commands.push(command(`cosign verify-blob${ts}`, [`--bundle ${sh(sig.bundle)}`, ...identityLines(ctx), ...root, file]));
    for (const a of statements) {
        commands.push(command(`cosign verify-blob-attestation${ts} --type ${cosignType(a)}`, [`--bundle ${sh(a.bundle)}`, ...identityLines(ctx), ...root, file]));
    }
    // gh verifies certificates from GitHub workflows only, not key signatures.
    if (ctx.repository && !ctx.key) {
        const custom = ctx.trustFiles ? [`--custom-trusted-root ${sh(ctx.trustFiles.jsonl)}`] : [];
        for (const a of statements) {
            const type = a.kind === 'provenance' ? [] : [`--predicate-type ${sh(a.predicateType ?? '')}`];
            commands.push(command(`gh attestation verify ${file}`, [`--bundle ${sh(a.bundle)}`, `--repo ${sh(ctx.repository)}`, ...type, ...custom]));
        }
    }
    for (const a of [...(sig ? [sig] : []), ...statements]) {
        commands.push(command('npx sign-attest verify-bundle', [`--bundle ${sh(a.bundle)}`, ...identityLines(ctx), ...root, file]));
    }
    return commands;
}
const logCell = (ctx, logIndex) => logIndex === undefined ? 'not logged' : ctx.rekorVersion === 2 ? String(logIndex) : rekorLink(ctx.rekorURL, logIndex);
// The last meaningful word of a predicate type URI, for a label.
function predicateWord(uri) {
    const words = uri
        .replace(/^[a-z]+:\/\//i, '')
        .split(/[/#?]+/)
        .filter(Boolean);
    return words.filter((w) => !/^v?\d+(\.\d+)*$/.test(w)).pop() ?? uri;
}
// Rekor v2 serves tiles, not entries by index, so its indexes are not linked.
function rekorLink(rekorURL, logIndex) {
    const url = rekorEntryURL(rekorURL, logIndex);
    // Only web URLs become links; characters that end a markdown link or a table cell are percent-encoded.
    if (!/^https?:\/\//i.test(url))
        return String(logIndex);
    return `[${logIndex}](${linkURL(url)})`;
}
// Characters that end a markdown link or a table cell, percent-encoded.
function linkURL(url) {
    return url.replace(/[\s()<>[\]|`\\"]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
function duration(ms) {
    const s = ms / 1000;
    if (s < 10)
        return `${s.toFixed(1)} s`;
    if (s < 60)
        return `${Math.round(s)} s`;
    return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
const n = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
// A code span that holds any text: a fence longer than any backtick run
// inside, line breaks flattened, and pipes escaped inside a table cell
// (GFM splits cells before it reads code spans).
function codeSpan(s, inTable = false) {
    let t = s.replace(/[\r\n]+/g, ' ');
    if (inTable)
        t = t.replace(/\|/g, '\\|');
    const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longest + 1);
    const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
    return `${fence}${pad}${t}${pad}${fence}`;
}
// Plain text in markdown or HTML: markup and markdown punctuation as entities.
function html(s) {
    return s.replace(/[&<>"'|`*_[\]\\~\r\n]/g, (c) => (c === '\r' || c === '\n' ? ' ' : `&#${c.charCodeAt(0)};`));
}
const summary_text = html;
// A YAML scalar: plain when it cannot be misread, else double-quoted (JSON
// strings are YAML double-quoted scalars).
function yaml(s) {
    return /^[A-Za-z0-9][\w@%+=:,./-]*$/.test(s) && !s.endsWith(':') ? s : JSON.stringify(s);
}
// Single-quotes a shell argument when it needs quoting.
function sh(s) {
    return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// EXTERNAL MODULE: ./lib/github/attestations.js
var attestations = __webpack_require__(69708);
// EXTERNAL MODULE: ./lib/later.js
var later = __webpack_require__(90741);
;// CONCATENATED MODULE: ./lib/stages/store.js



function storeItems(bundles) {
    return bundles.filter((b) => b.dsse).map((b) => ({ key: b.uuid, label: `${LABEL[b.kind]} bundle of ${b.image}`, bundle: b.bundle }));
}
const LABEL = {
    signature: 'signature',
    signatureReferrer: 'signature',
    sbom: 'SBOM',
    provenance: 'provenance',
    predicate: 'attestation',
};
// Called before signing: plans the upload and, when the run will upload,
// loads the store's client code while the signatures are being logged (src/later.ts).
function prepareStore(opts, env = process.env) {
    const plan = (0,attestations/* planStore */.Hu)(opts.mode, env, opts.token, repositoryFacts(env['GITHUB_EVENT_PATH']));
    if (plan.upload && !opts.keySigned)
        (0,later/* afterRequestsLeave */.O)(attestations/* loadStoreClientCode */.mY).catch(() => undefined); // a failure shows when the upload loads it
    return { ...opts, plan };
}
// The stage: the run's verified DSSE bundles into the store, per `mode`.
function storeAll(signed, opts) {
    // GitHub checks a stored bundle's workflow certificate against the
    // repository: a bundle signed with a key has none, so it is never sent.
    if (opts.keySigned)
        return Promise.resolve({
            mode: opts.mode,
            skipped: 'the bundles are signed with signing-key; the store takes only keyless bundles (a workflow certificate names the repository)',
            total: 0,
        });
    return runStoreStep(storeItems(verifiedBundles(signed)), opts).then((step) => ({ ...step, mode: opts.mode }));
}
// Runs the planned upload. Never throws: problems come back as warnings.
async function runStoreStep(items, opts) {
    const { plan } = opts;
    const total = items.length;
    if (!plan.upload)
        return { skipped: plan.reason, total };
    if (total === 0)
        return { skipped: 'no DSSE bundle to store (attach: tags writes no signature bundle, and no attestation was made)', total };
    try {
        return { outcome: await (0,attestations/* uploadToStore */.Sn)(items, { target: plan.target, token: opts.token, http: opts.http, mode: opts.mode, debug: opts.debug }), total };
    }
    catch (err) {
        // Loading the client itself failed: still only a warning.
        const message = err instanceof Error ? err.message : String(err);
        return { outcome: { target: plan.target, stored: new Map(), attempted: 0, warnings: [`GitHub attestation store: not used (${message})`] }, total };
    }
}
// The event payload's repository visibility and owner type, when the runner
// wrote one (a user-owned private repository has no store).
function repositoryFacts(eventPath) {
    if (!eventPath)
        return {};
    try {
        const event = JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8'));
        const repo = event.repository;
        return { private: repo?.private === true, ...(typeof repo?.owner?.type === 'string' ? { ownerType: repo.owner.type } : {}) };
    }
    catch {
        return {};
    }
}
// Each stored bundle's id and page on its results row (matched by Rekor entry).
function withStoredIds(results, step) {
    const stored = step.outcome?.stored;
    if (!stored?.size)
        return results;
    return results.map((r) => ({
        ...r,
        artifacts: r.artifacts.map((a) => {
            const s = a.uuid === undefined ? undefined : stored.get(a.uuid);
            return s ? { ...a, attestationId: s.id, attestationUrl: s.url } : a;
        }),
    }));
}
// The summary's view of the step (nothing when it was not tried).
function storeSummary(step) {
    const o = step.outcome;
    if (!o)
        return undefined;
    return { repository: `${o.target.owner}/${o.target.repo}`, page: (0,attestations/* attestationsPage */.Dl)(o.target), stored: o.stored.size, total: step.total, warnings: o.warnings };
}
// One log line for what the store took (or why it was not used), then each
// problem as a warning.
function storeLog(step, mode = step.mode ?? 'auto') {
    const o = step.outcome;
    const info = [
        ...(o?.stored.size
            ? [
                `GitHub attestation store: stored ${o.stored.size} of ${step.total} bundle(s) in ${o.target.owner}/${o.target.repo}: ${[...o.stored.values()].map((s) => s.url).join(' ')}`,
            ]
            : []),
        ...(step.skipped && mode !== 'false' ? [`GitHub attestation store: not used: ${step.skipped}`] : []),
    ];
    return { info, warnings: o?.warnings ?? [] };
}
// The run's self-verified bundles, image by image.
function verifiedBundles(signed) {
    return signed.flatMap((st) => {
        const image = `${st.target.name}@${st.target.digest}`;
        const entry = (kind, s) => s?.entry ? [{ kind, image, uuid: s.entry.uuid, bundle: s.bundle, dsse: s.bundle.dsseEnvelope !== undefined }] : [];
        return [...entry('signature', st.signature), ...entry('signatureReferrer', st.signatureReferrer), ...st.attestations.flatMap((a) => entry(a.predicate.kind, a))];
    });
}

;// CONCATENATED MODULE: ./lib/stages/outputs.js










// The last stage: the per-image log lines, the step outputs, the step
// summary and results.json, all rendered from the result rows (images, then
// release files).
async function report(run, log, outDir, summary) {
    const results = run.stored ? withStoredIds(run.results, run.stored) : run.results;
    const files = run.files ?? [];
    for (const r of results)
        for (const a of r.artifacts)
            log.image(r.name, r.digest).info((0,lib_log/* artifactLine */.VY)(a));
    log.flush();
    setOutputs(results, files);
    if (summary)
        await core/* summary */.z.addRaw(renderSummary(results, summary(run.stored && storeSummary(run.stored)), files)).write();
    await (0,promises_.writeFile)((0,external_node_path_.join)(outDir, 'results.json'), resultsJSON(results, files) + '\n');
    if (run.stored) {
        const said = storeLog(run.stored);
        for (const line of said.info)
            core/* info */.pq(line);
        for (const w of said.warnings)
            core/* warning */.$e(w);
    }
}
// The run's output folder (bundles, SBOMs, results.json) and, for a custom
// trusted root, the trust files verifiers need beside them.
async function openOutputs(inputs) {
    const outDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(process.env['RUNNER_TEMP'] ?? (0,external_node_os_.tmpdir)(), 'sign-attest-'));
    const trustFiles = inputs.trustedRoot ? await writeTrustFiles(outDir, inputs.trustedRoot, { legacy: inputs.attach === 'tags', rekorURL: inputs.rekorURL }) : undefined;
    return { outDir, trustFiles };
}
// What the summary says about the run, as of when it is rendered.
function summaryContext(inputs, signer, key, identity, trustFiles, started) {
    const { rekorURL, attach, rekorVersion, referrersOnly: note } = inputs;
    const repository = identity ? (0,lib_identity/* claimString */.ex)(identity.claims, 'repository') : undefined;
    const who = { san: signer.san, issuer: signer.issuer, ...(key ? { key: { hint: key.hint, tlog: signer.tlog } } : {}) };
    return (store) => ({ ...who, rekorURL, repository, attach, trustFiles, rekorVersion, note, elapsedMs: Date.now() - started, verifyAction: verifyActionRef(), store });
}
// The verify action from the same repository and ref as this one, when the
// runner names them (it does not for a local `uses: ./`).
function verifyActionRef() {
    const repo = process.env['GITHUB_ACTION_REPOSITORY'];
    const ref = process.env['GITHUB_ACTION_REF'];
    return repo && ref ? `${repo}/verify@${ref}` : undefined;
}
// Single-value outputs describe the first image (with no image, the first
// release file); `results` has them all.
function setOutputs(results, files = []) {
    core/* setOutput */.uH('results', resultsJSON(results, files));
    const image = results[0];
    const first = image ?? files[0];
    if (!first)
        return;
    const find = (kind) => first.artifacts.find((a) => a.kind === kind);
    // Release files have no SBOM: those outputs come from the first image only.
    const sbom = image && primarySbom(image.artifacts);
    const spdx = image?.artifacts.find((a) => a.kind === 'sbom' && a.format === 'spdx');
    core/* setOutput */.uH('digest', first.digest);
    core/* setOutput */.uH('signature-log-index', find('signature')?.logIndex ?? '');
    core/* setOutput */.uH('sbom-log-index', sbom?.logIndex ?? '');
    core/* setOutput */.uH('provenance-log-index', find('provenance')?.logIndex ?? '');
    core/* setOutput */.uH('signature-bundle', find('signature')?.bundle ?? '');
    core/* setOutput */.uH('sbom-bundle', sbom?.bundle ?? '');
    core/* setOutput */.uH('provenance-bundle', find('provenance')?.bundle ?? '');
    core/* setOutput */.uH('sbom-path', sbom?.path ?? '');
    core/* setOutput */.uH('sbom-spdx-log-index', spdx?.logIndex ?? '');
    core/* setOutput */.uH('sbom-spdx-bundle', spdx?.bundle ?? '');
    core/* setOutput */.uH('sbom-spdx-path', spdx?.path ?? '');
}

;// CONCATENATED MODULE: ./lib/provenance.js


// SLSA v1 provenance for a GitHub Actions workflow run, built only from the
// OIDC token's claims (the identity Fulcio certifies), the same shape
// GitHub's own attestations carry so `gh attestation verify` and SLSA
// policies read it alike.
const BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';
const REQUIRED = [
    'iss',
    'ref',
    'sha',
    'repository',
    'event_name',
    'job_workflow_ref',
    'workflow_ref',
    'repository_id',
    'repository_owner_id',
    'runner_environment',
    'run_id',
    'run_attempt',
];
function buildProvenance(claims, serverURL = 'https://github.com') {
    const missing = REQUIRED.filter((c) => !(0,lib_identity/* claimString */.ex)(claims, c));
    if (missing.length) {
        throw new errors/* ActionError */.l('INPUT', `provenance: the OIDC token lacks the GitHub Actions claims ${missing.join(', ')}; run inside GitHub Actions or set provenance: false`);
    }
    const c = (name) => (0,lib_identity/* claimString */.ex)(claims, name) ?? '';
    const server = serverURL.replace(/\/+$/, '');
    const repository = c('repository');
    return {
        buildDefinition: {
            buildType: BUILD_TYPE,
            externalParameters: {
                workflow: { ref: c('ref'), repository: `${server}/${repository}`, path: workflowPath(c('workflow_ref'), repository) },
            },
            internalParameters: {
                github: {
                    event_name: c('event_name'),
                    repository_id: c('repository_id'),
                    repository_owner_id: c('repository_owner_id'),
                    runner_environment: c('runner_environment'),
                },
            },
            resolvedDependencies: [{ uri: `git+${server}/${repository}@${c('ref')}`, digest: { gitCommit: c('sha') } }],
        },
        runDetails: {
            builder: { id: `${server}/${c('job_workflow_ref')}` },
            metadata: { invocationId: `${server}/${repository}/actions/runs/${c('run_id')}/attempts/${c('run_attempt')}` },
        },
    };
}
// `owner/repo/.github/workflows/x.yml@refs/tags/v1@beta` → `.github/workflows/x.yml`:
// the ref may itself contain '@', so split at the first '@' after the path.
function workflowPath(workflowRef, repository) {
    const withoutRepo = workflowRef.startsWith(`${repository}/`) ? workflowRef.slice(repository.length + 1) : workflowRef;
    const at = withoutRepo.indexOf('@');
    return at >= 0 ? withoutRepo.slice(0, at) : withoutRepo;
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
;// CONCATENATED MODULE: ./lib/cli/version.js



// The version in this project's package.json, found by walking up from the
// running file (dist/cli/index.js in a checkout or an installed package;
// src/cli/ under tests). dist/*/package.json only sets the module type.
function packageVersion(from = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url))) {
    for (let dir = from;; dir = (0,external_node_path_.dirname)(dir)) {
        try {
            const pkg = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, 'package.json'), 'utf8'));
            if (pkg.name === 'sign-attest-action' && pkg.version)
                return pkg.version;
        }
        catch {
            // no package.json here
        }
        if ((0,external_node_path_.dirname)(dir) === dir)
            return 'unknown';
    }
}

;// CONCATENATED MODULE: ./lib/catalogers/distro.js
// Files that identify the distro, in syft's order of preference.
const DISTRO_FILES = ['/etc/os-release', '/usr/lib/os-release', '/etc/debian_version'];
function unquote(value) {
    const v = value.trim();
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0])
        return v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    return v;
}
function parseOsRelease(text) {
    const fields = {};
    for (const line of text.split('\n')) {
        const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
        if (m)
            fields[m[1]] = unquote(m[2]);
    }
    return fields;
}
function identifyDistro(osRelease, debianVersion) {
    if (osRelease === undefined)
        return undefined;
    const f = parseOsRelease(osRelease);
    if (!f.ID)
        return undefined;
    const distro = {
        id: f.ID.toLowerCase(),
        idLike: (f.ID_LIKE ?? '')
            .split(/\s+/)
            .filter(Boolean)
            .map((s) => s.toLowerCase()),
        versionId: f.VERSION_ID,
        versionCodename: f.VERSION_CODENAME,
        buildId: f.BUILD_ID,
        prettyName: f.PRETTY_NAME,
    };
    // os-release says "12"; /etc/debian_version has the point release ("12.7"),
    // which vulnerability matchers need. Testing/sid write "trixie/sid": ignore.
    const point = debianVersion?.trim();
    if (distro.id === 'debian' && point && /^\d+(\.\d+)*$/.test(point) && point.split('.')[0] === distro.versionId) {
        distro.versionId = point;
    }
    return distro;
}
// The purl `distro` qualifier: ID-VERSION_ID, else ID-BUILD_ID.
function distroQualifier(distro) {
    if (!distro)
        return undefined;
    const version = distro.versionId ?? distro.buildId;
    return version ? `${distro.id}-${version}` : distro.id;
}

// EXTERNAL MODULE: ./lib/catalogers/common.js
var common = __webpack_require__(39124);
// EXTERNAL MODULE: ./lib/catalogers/purl.js
var purl = __webpack_require__(29000);
;// CONCATENATED MODULE: ./lib/catalogers/limits.js
// Every bound the SBOM scanner puts on what an image may make it read, build
// or hold. A layer is attacker-controlled input: a few hundred bytes of it
// once cost gigabytes of memory or minutes of CPU. Each limit is documented in
// README.md ("SBOM scanner limits"); hitting one is never silent (see
// ScanProblem in types.ts and scan.ts).
// Components in one SBOM. The whole action (scan, document, statement,
// signing, self-verification, attaching) costs ~20 KB of peak memory per
// component on top of ~110 MB: measured at 10k, 260-290 MB with only the
// SBOM on and 290-305 MB with signing, provenance and both attach formats
// (455 MB at 20k, before streamed uploads and the GC tuning of scan.ts). 10k
// keeps the run within its 350 MB bound, and the document near 5 MB (~520
// bytes per component), well under actions/attest's 16 MiB predicate cap.
// Exceeding it is an error, never a truncation: a signed SBOM with packages
// cut off would be untrue.
const MAX_COMPONENTS = 10_000;
// Packages held while layers are scanned (a later layer may still remove
// files, so the component limit can only be applied at the end).
const MAX_HELD_PACKAGES = 4 * MAX_COMPONENTS;
// Java archives. The zip central directory sits at the end, so a top-level
// archive is buffered (up to MAX_ARCHIVE); nested archives are read from that
// buffer (stored ones without a copy).
const MAX_ARCHIVE = 64 * 1024 * 1024;
// Nesting: Spring Boot is 1 deep (BOOT-INF/lib), an ear's war's WEB-INF/lib 2.
// Each level may hold an inflated copy of its parent's entry, so depth times
// MAX_NESTED_ARCHIVE is memory held at once.
const MAX_NESTING_DEPTH = 4;
const MAX_NESTED_ARCHIVE = 32 * 1024 * 1024;
// Inflated bytes for all nested archives and manifests of one top-level
// archive, and for all archives of one image: inflating costs ~3 ms per MiB,
// so these bound the time an image can make us spend in zlib.
const MAX_INFLATED_PER_ARCHIVE = 512 * 1024 * 1024;
const MAX_INFLATED_PER_IMAGE = 2 * 1024 * 1024 * 1024;
// Nested archives opened under one top-level archive (fat jars hold hundreds).
const MAX_NESTED_ARCHIVES = 5_000;
// MANIFEST.MF and pom.properties are a few KiB; anything bigger is not one.
const MAX_METADATA_ENTRY = 1024 * 1024;
// rpm header blobs, as rpm's own header checks (lib/header_internal.h):
// at most 65,535 index entries and a data store under 16 MiB.
const MAX_RPM_HEADER_TAGS = 0xffff;
const MAX_RPM_HEADER_DATA = 16 * 1024 * 1024 - 1;
// cargo-auditable's dependency JSON, inflated: the format's reference reader
// (auditable-info) refuses more than 8 MiB by default; real ones are a few KiB.
const MAX_AUDIT_JSON = 8 * 1024 * 1024;
// What the scanner holds while layers stream past: files kept for catalogers
// and symbolic links (for resolving paths). Real images keep a few thousand
// files (package.json, METADATA, databases; under 100 MB in all) and a few
// thousand links, but a layer of 512-byte tar headers, which compress to
// almost nothing, can name millions. Exceeding either is an error: dropping
// files or links would make the SBOM untrue.
const MAX_KEPT_FILES = 50_000;
const MAX_KEPT_BYTES = 128 * 1024 * 1024;
const MAX_SYMLINKS = 250_000;
// dpkg copyright files (/usr/share/doc/PKG/copyright) read for their License:
// fields. Real ones are a few KiB, the largest in Debian a few hundred; a
// bigger one is not read (its package keeps no license, nothing else changes).
const MAX_COPYRIGHT_FILE = 1024 * 1024;
// Programs searched for a version string by name (node, python3.12, ...; a
// node binary is ~100 MB): past this many bytes a file so named is not read
// further, so a zero-filled "node" that compresses to nothing costs little.
const MAX_CLASSIFIED_PROGRAM = 256 * 1024 * 1024;

;// CONCATENATED MODULE: ./lib/image/contract.js
// What image/ offers whoever wants files out of an image (the SBOM
// catalogers implement this; image/ imports nothing of theirs): name the
// files you want (FileWant in filesystem.ts: match, and optionally a sink
// that reduces a large file while it streams past), and receive each wanted
// file that survives to the final filesystem with its content.
// A bound was exceeded where carrying on would make the result untrue (e.g. a
// component list cut short): the scan stops and nothing is signed.
class ScanLimitError extends Error {
    name = 'ScanLimitError';
}

;// CONCATENATED MODULE: ./lib/catalogers/apk.js





// apk's installed database: blank-line separated records of one-letter fields
// (P name, V version, A arch, L license, o origin, D depends, p provides).
// Dependencies and provides look like "so:libc.musl-x86_64.so.1", "cmd:sh",
// "pc:zlib" or "name>=1.2": compare on the bare token.
function depName(token) {
    return token.replace(/^!/, '').split(/[<>=~]/)[0];
}
const apk = {
    name: 'apk-db-cataloger',
    match: (path) => path.endsWith('/lib/apk/db/installed'),
    parse(file, ctx) {
        const packages = [];
        for (const record of file.content.toString('utf8').split(/\n\s*\n/)) {
            const f = new Map();
            for (const line of record.split('\n')) {
                if (line.length > 2 && line[1] === ':' && !f.has(line[0]))
                    f.set(line[0], line.slice(2));
            }
            const name = f.get('P');
            const version = f.get('V');
            if (!name || !version)
                continue;
            if (packages.length >= MAX_COMPONENTS)
                throw new ScanLimitError(`more than ${MAX_COMPONENTS} packages (the SBOM component limit)`);
            const license = f.get('L')?.trim();
            const origin = f.get('o');
            packages.push({
                name,
                version,
                type: 'apk',
                purl: (0,purl/* purl */.E)('apk', ctx.distro?.id ?? 'alpine', name, version, {
                    arch: f.get('A'),
                    distro: distroQualifier(ctx.distro),
                    upstream: origin && origin !== name ? origin : undefined,
                }),
                // Alpine writes "MIT BSD-2-Clause" for what SPDX spells with AND/OR.
                licenses: !license ? [] : (0,common/* isSpdxExpression */.Yr)(license) ? [license] : license.split(/\s+/),
                foundBy: apk.name,
                path: file.path,
                layer: file.layer,
                requires: (f.get('D') ?? '').split(/\s+/).filter(Boolean).map(depName),
                provides: (f.get('p') ?? '').split(/\s+/).filter(Boolean).map(depName),
            });
        }
        return { packages, relationships: [] };
    },
    relate: (packages) => (0,common/* relateByName */.uJ)(packages, (p) => (0,common/* dirname */.pD)(p.path)),
};

;// CONCATENATED MODULE: ./lib/catalogers/classifiers.js



const fixed = (...patterns) => () => patterns;
const classifiers_escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// python3.11 and libpython3.11.so.1.0 carry "\03.11.2\0"
const pythonTemplate = (file) => (base) => {
    const v = file.exec(base)?.groups?.['version'];
    return v ? [new RegExp(`\\x00(?<version>${classifiers_escape(v)}[-._a-zA-Z0-9]*)\\x00`)] : [];
};
const cpe = (vendor, product) => `cpe:2.3:a:${vendor}:${product}:VERSION:*:*:*:*:*:*:*`;
const PYTHON = /^python(?<version>[0-9]{1,6}(?:\.[0-9]{1,6}){1,4})$/;
const CLASSIFIERS = [
    {
        name: 'python',
        file: PYTHON,
        patterns: pythonTemplate(PYTHON),
        cpes: [cpe('python_software_foundation', 'python'), cpe('python', 'python')],
    },
    {
        name: 'python',
        file: /^libpython[0-9]{1,6}(?:\.[0-9]{1,6}){1,4}[a-z]?\.so/,
        patterns: pythonTemplate(/^libpython(?<version>[0-9]{1,6}(?:\.[0-9]{1,6}){1,4})[a-z]?\.so/),
        cpes: [cpe('python_software_foundation', 'python'), cpe('python', 'python')],
    },
    {
        name: 'go',
        file: /^(go|go\.exe)$/,
        patterns: fixed(/go(?<version>[0-9]{1,6}\.[0-9]{1,6}(\.[0-9]{1,6}|beta[0-9]{1,6}|alpha[0-9]{1,6}|rc[0-9]{1,6})?)\x00/),
        cpes: [cpe('golang', 'go')],
    },
    {
        name: 'node',
        file: /^node$/,
        patterns: fixed(/\x00(node )?v(?<version>(0|4|5|6)\.[0-9]{1,6}\.[0-9]{1,6})\x00/, /node\.js\/v(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/),
        cpes: [cpe('nodejs', 'node.js')],
    },
    {
        name: 'redis',
        file: /^redis-server$/,
        patterns: fixed(/[^\d](?<version>\d{1,6}.\d{1,6}\.\d{1,6})buildkitsandbox-\d/, /[^\d](?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})\w{12}-\d/, /Redis version (?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/),
        cpes: [cpe('redislabs', 'redis'), cpe('redis', 'redis')],
    },
    { name: 'busybox', file: /^busybox$/, patterns: fixed(/BusyBox\s{1,8}v(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/), cpes: [cpe('busybox', 'busybox')] },
    { name: 'httpd', file: /^httpd$/, patterns: fixed(/Apache\/(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/), cpes: [cpe('apache', 'http_server')] },
    {
        name: 'nginx',
        file: /^nginx$/,
        patterns: fixed(/(\x00|\?)nginx version: [^/]{1,64}\/(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}(?:\+\d{1,6})?(?:-\d{1,6})?)/),
        cpes: [cpe('f5', 'nginx'), cpe('nginx', 'nginx')],
    },
    {
        name: 'postgresql',
        file: /^postgres$/,
        patterns: fixed(/(\x00|\?)PostgreSQL (?<version>[0-9]{1,6}(\.[0-9]{1,6})?(\.[0-9]{1,6})?(alpha[0-9]|beta[0-9]|rc[0-9])?)/),
        cpes: [cpe('postgresql', 'postgresql')],
    },
    { name: 'memcached', file: /^memcached$/, patterns: fixed(/memcached\s(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/), cpes: [cpe('memcached', 'memcached')] },
    { name: 'ruby', file: /^ruby$/, patterns: fixed(/ruby (?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}((p|preview|rc|dev)[0-9]*)?) /), cpes: [cpe('ruby-lang', 'ruby')] },
    {
        name: 'bash',
        file: /^bash$/,
        patterns: fixed(/@\(#\)Bash version (?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})\([0-9]\) [a-z0-9]+ GNU/),
        cpes: [cpe('gnu', 'bash')],
    },
    {
        name: 'openssl',
        file: /^openssl$/,
        patterns: fixed(/\x00OpenSSL (?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}([a-z]+|-alpha[0-9]|-beta[0-9]|-rc[0-9])?)/),
        cpes: [cpe('openssl', 'openssl')],
    },
    {
        name: 'haproxy',
        file: /^haproxy$/,
        patterns: fixed(/version (?<version>[0-9]{1,6}\.[0-9]{1,6}(\.|-dev|-rc)[0-9]{1,6})(-[a-z0-9]{7})?, released 20/, /HA-Proxy version (?<version>[0-9]{1,6}\.[0-9]{1,6}(\.|-dev)[0-9]{1,6})/),
        cpes: [cpe('haproxy', 'haproxy')],
    },
    {
        name: 'composer',
        file: /^composer/,
        patterns: fixed(/'pretty_version'\s{0,8}=>\s{0,8}'(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}(beta[0-9]{1,6}|alpha[0-9]{1,6}|RC[0-9]{1,6})?)'/),
        cpes: [cpe('getcomposer', 'composer')],
    },
];
// One test per tar entry before the per-classifier ones: every classifier's
// file pattern (each anchored at the start) in one anchored alternation,
// named groups made plain (a name may not repeat in one pattern).
const ANY_NAME = new RegExp(`^(?:${CLASSIFIERS.map((c) => c.file.source.replace(/^\^/, '').replace(/\(\?<\w+>/g, '(?:')).join('|')})`);
const classifiersFor = (path) => {
    const base = (0,common/* basename */.P8)(path);
    return ANY_NAME.test(base) ? CLASSIFIERS.filter((c) => c.file.test(base)) : [];
};
// Version strings are short: a match can straddle two chunks by less than this.
// syft's patterns run on RE2, which is linear; JavaScript's regexes
// backtrack, so every repeat here is bounded (a version part has at most 6
// digits) and syft's haproxy pattern with a free `.+` is left out: a crafted
// file of near-matches would otherwise cost quadratic time.
const OVERLAP = 512;
const LOOKAHEAD = 32;
/** The first version each pattern set finds in the streamed bytes, as "index\tversion" lines. */
function versionSink(path) {
    const base = (0,common/* basename */.P8)(path);
    const sets = classifiersFor(path).map((c) => c.patterns(base));
    const found = sets.map(() => undefined);
    let tail = '';
    let seen = 0;
    // A match ending near the end of what has arrived may still grow (20.11.1
    // of 20.11.10): it is taken only once more bytes follow it, or at the end.
    const search = (text, final) => {
        sets.forEach((patterns, i) => {
            if (found[i] !== undefined)
                return;
            for (const re of patterns) {
                const m = re.exec(text);
                const v = m?.groups?.['version'];
                if (v && (final || m.index + m[0].length <= text.length - LOOKAHEAD))
                    return void (found[i] = v);
            }
        });
    };
    return {
        push(chunk) {
            seen += chunk.length;
            if (seen > MAX_CLASSIFIED_PROGRAM || found.every((f) => f !== undefined))
                return;
            const text = tail + chunk.toString('latin1');
            search(text, false);
            tail = text.slice(-OVERLAP);
        },
        end: () => {
            if (seen <= MAX_CLASSIFIED_PROGRAM)
                search(tail, true);
            const lines = found.flatMap((v, i) => (v === undefined ? [] : [`${i}\t${v}`]));
            return lines.length > 0 ? Buffer.from(lines.join('\n')) : undefined;
        },
    };
}
// dpkg's per-package md5sums ("<md5>  usr/bin/bash"; syft's list of a
// package's files) and apk's database: only the lines naming a file a
// classifier would look at are kept (a few, of tens of thousands).
const DPKG_LIST = /\/var\/lib\/dpkg\/(?:info|status\.d)\/[^/]+\.md5sums$/;
const APK_DB = /\/lib\/apk\/db\/installed$/;
const isOwnershipDb = (path) => (path.endsWith('.md5sums') && DPKG_LIST.test(path)) || (path.endsWith('/installed') && APK_DB.test(path));
function ownedLinesSink(path) {
    const apk = APK_DB.test(path);
    const kept = [];
    let dir = '';
    let partial = '';
    const line = (l) => {
        if (apk) {
            if (l.startsWith('F:'))
                dir = l.slice(2);
            else if (l.startsWith('R:') && classifiersFor(l.slice(2)).length > 0)
                kept.push(`/${dir}/${l.slice(2)}`);
        }
        else {
            const file = l.slice(l.indexOf(' ') + 1).trim();
            if (file && classifiersFor(file).length > 0)
                kept.push(file.startsWith('/') ? file : `/${file}`);
        }
    };
    return {
        push(chunk) {
            const lines = (partial + chunk.toString('utf8')).split('\n');
            partial = lines.pop();
            for (const l of lines)
                line(l);
        },
        end: () => {
            if (partial)
                line(partial);
            return kept.length > 0 ? Buffer.from(kept.join('\n')) : undefined;
        },
    };
}
const OWNED = 'os-file-ownership';
const classifiers = {
    name: 'binary-classifier-cataloger',
    match: (path, entry) => isOwnershipDb(path) || (entry.size > 0 && classifiersFor(path).length > 0),
    sink: (path) => (isOwnershipDb(path) ? ownedLinesSink(path) : versionSink(path)),
    parse(file) {
        const text = file.content.toString('utf8');
        if (isOwnershipDb(file.path)) {
            // carriers: each path an OS package owns, for dropOwnedBinaries
            const root = file.path.replace(/\/(var\/lib\/dpkg\/(?:info|status\.d)\/[^/]+\.md5sums|lib\/apk\/db\/installed)$/, '');
            const packages = text.split('\n').map((owned) => ({
                name: owned,
                version: '',
                type: 'binary',
                purl: '',
                licenses: [],
                foundBy: OWNED,
                path: `${root}${owned}`,
                layer: file.layer,
                carrier: true,
            }));
            return { packages, relationships: [] };
        }
        const matched = classifiersFor(file.path);
        const packages = [];
        for (const line of text.split('\n')) {
            const [index, version = ''] = line.split('\t');
            const c = matched[Number(index)];
            if (!c || !version)
                continue;
            packages.push({
                name: c.name,
                version,
                type: 'binary',
                purl: (0,purl/* purl */.E)('generic', undefined, c.name, version),
                licenses: [],
                foundBy: classifiers.name,
                path: file.path,
                layer: file.layer,
                cpes: c.cpes.map((x) => x.replace('VERSION', version)),
            });
            break; // one package per file: the first classifier that matched
        }
        return { packages, relationships: [] };
    },
};
// /bin, /sbin and /lib are /usr's on merged-/usr systems: an md5sums naming
// /bin/bash owns /usr/bin/bash too (file paths here are canonical).
function ownedSpellings(path) {
    const m = /^(.*?)(\/usr)?(\/(?:bin|sbin|lib[^/]*)\/.*)$/.exec(path);
    return m ? [`${m[1]}${m[3]}`, `${m[1]}/usr${m[3]}`] : [path];
}
/**
 * Removes classified programs that an OS package owns (that package lists
 * them already) and programs found twice with the same version at one path,
 * and the ownership carriers. Relationships refer to package objects, so the
 * rest stay as they are.
 */
function dropOwnedBinaries(packages) {
    const owned = new Set(packages.filter((p) => p.foundBy === OWNED).flatMap((p) => ownedSpellings(p.path)));
    const seen = new Set();
    return packages.filter((p) => {
        if (p.foundBy === OWNED)
            return false;
        if (p.foundBy !== classifiers.name)
            return true;
        if (owned.has(p.path))
            return false;
        const key = `${p.purl}\n${p.path}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}

;// CONCATENATED MODULE: ./lib/catalogers/dotnet.js

const dotnet = {
    name: 'dotnet-deps-cataloger',
    match: (path) => path.endsWith('.deps.json'),
    parse(file) {
        const json = JSON.parse(file.content.toString('utf8'));
        const byKey = new Map();
        for (const [key, lib] of Object.entries(json.libraries ?? {})) {
            const slash = key.lastIndexOf('/');
            if (slash <= 0 || lib.type !== 'package')
                continue;
            const name = key.slice(0, slash);
            const version = key.slice(slash + 1);
            byKey.set(key.toLowerCase(), {
                name,
                version,
                type: 'dotnet',
                purl: (0,purl/* purl */.E)('nuget', undefined, name, version),
                licenses: [],
                foundBy: dotnet.name,
                path: file.path,
                layer: file.layer,
            });
        }
        const relationships = [];
        for (const target of Object.values(json.targets ?? {})) {
            for (const [key, entry] of Object.entries(target)) {
                const from = byKey.get(key.toLowerCase());
                for (const [dep, version] of Object.entries(entry.dependencies ?? {})) {
                    const to = byKey.get(`${dep}/${version}`.toLowerCase());
                    if (from && to)
                        relationships.push({ from, to });
                }
            }
            break; // the first target is the one the app runs on
        }
        return { packages: [...byKey.values()], relationships };
    },
};

;// CONCATENATED MODULE: ./lib/catalogers/dpkg.js





// /var/lib/dpkg/status, and distroless images' status.d/<pkg> (one stanza per
// file, with <pkg>.md5sums alongside, which is not a package).
const STATUS = /\/lib\/dpkg\/status$/;
const STATUS_D = /\/lib\/dpkg\/status\.d\/[^/]+$/;
function names(list) {
    if (!list)
        return [];
    // "libc6 (>= 2.34), libgcc-s1 | libgcc1, python3:any" → every alternative's name
    return list
        .split(/[,|]/)
        .map((s) => s.trim().split(/[\s(:]/)[0])
        .filter(Boolean);
}
function databaseRoot(path) {
    const dir = (0,common/* dirname */.pD)(path);
    return dir.endsWith('/status.d') ? (0,common/* dirname */.pD)(dir) : dir;
}
const dpkg = {
    name: 'dpkg-db-cataloger',
    match: (path) => STATUS.test(path) || (STATUS_D.test(path) && !path.endsWith('.md5sums')),
    parse(file, ctx) {
        const packages = [];
        for (const s of (0,common/* stanzas */.j5)(file.content.toString('utf8'))) {
            const name = (0,common/* field */.ZZ)(s, 'package');
            const version = (0,common/* field */.ZZ)(s, 'version');
            if (!name || !version)
                continue;
            // Stop before building more packages than an SBOM may hold.
            if (packages.length >= MAX_COMPONENTS)
                throw new ScanLimitError(`more than ${MAX_COMPONENTS} packages (the SBOM component limit)`);
            // "deinstall ok config-files" and friends: the package is not on disk.
            const status = (0,common/* field */.ZZ)(s, 'status') ?? 'install ok installed';
            if (/deinstall|purge|not-installed|config-files/.test(status))
                continue;
            const source = /^(\S+)(?:\s+\((\S+)\))?/.exec((0,common/* field */.ZZ)(s, 'source') ?? '');
            const upstream = source ? (source[2] ? `${source[1]}@${source[2]}` : source[1]) : undefined;
            const d = ctx.distro;
            packages.push({
                name,
                version,
                type: 'deb',
                purl: (0,purl/* purl */.E)('deb', d?.id ?? 'debian', name, version, {
                    arch: (0,common/* field */.ZZ)(s, 'architecture'),
                    distro: distroQualifier(d),
                    upstream,
                }),
                licenses: [],
                foundBy: dpkg.name,
                path: file.path,
                layer: file.layer,
                requires: [...names((0,common/* field */.ZZ)(s, 'pre-depends')), ...names((0,common/* field */.ZZ)(s, 'depends'))],
                provides: names((0,common/* field */.ZZ)(s, 'provides')),
            });
        }
        if (STATUS_D.test(file.path) && packages.length === 0)
            throw new Error(`no package stanza in ${(0,common/* basename */.P8)(file.path)}`);
        return { packages, relationships: [] };
    },
    relate: (packages) => (0,common/* relateByName */.uJ)(packages, (p) => databaseRoot(p.path)),
};

;// CONCATENATED MODULE: ./lib/catalogers/dpkg-copyright.js

// Licenses of Debian packages from their machine-readable copyright files
// (DEP-5: every `License:` field's short name). dpkg's database records no
// license. The scanner keeps only files still present in the final image; each
// copyright file yields a carrier record that mergeCopyrightLicenses() folds
// into the dpkg package of the same name and root, then drops.
const COPYRIGHT = /^(.*)\/usr\/share\/doc\/([^/]+)\/copyright$/;
const CARRIER = 'dpkg-copyright-cataloger';
// Debian's short names for the GNU family: "GPL-2+" is GPL-2.0-or-later, a
// bare "GPL-2" is GPL-2.0-only; others are kept as written.
function spdxOf(short) {
    const m = /^(A|L)?GPL-(\d)(?:\.(\d))?(\+)?$/i.exec(short);
    if (m)
        return `${(m[1] ?? '').toUpperCase()}GPL-${m[2]}.${m[3] ?? '0'}-${m[4] ? 'or-later' : 'only'}`;
    if (/^expat$/i.test(short))
        return 'MIT';
    return short;
}
/** Short license names of a DEP-5 copyright file, in order of first appearance; [] for free-form files. */
function copyrightLicenses(text) {
    if (!/^Format:\s*\S/m.test(text))
        return [];
    const out = [];
    for (const m of text.matchAll(/^License:[ \t]*([^\n]*)$/gm)) {
        // "GPL-2+ or Artistic" and "MIT and BSD-3-clause": every name counts
        for (const name of m[1].trim().split(/\s+(?:or|and)\s+|\s*[,|]\s*/i)) {
            const s = name.replace(/,?\s*with\s+.*$/i, '').trim();
            if (s && /^[A-Za-z0-9.+_-]+$/.test(s))
                out.push(spdxOf(s));
        }
    }
    return [...new Set(out)];
}
const dpkgCopyright = {
    name: CARRIER,
    match: (path) => COPYRIGHT.test(path),
    // A file over the bound is not kept: a warning, and its package has no license.
    sink(path, entry, scan) {
        const over = entry.size > MAX_COPYRIGHT_FILE;
        if (over)
            scan?.warn(path, `${entry.size} bytes, over the ${MAX_COPYRIGHT_FILE}-byte limit for a copyright file, not read`);
        const parts = [];
        return {
            push: (chunk) => void (over || parts.push(chunk)),
            end: () => (over || parts.length === 0 ? undefined : Buffer.concat(parts)),
        };
    },
    parse(file) {
        const [, root, name] = COPYRIGHT.exec(file.path);
        const licenses = copyrightLicenses(file.content.toString('utf8'));
        if (licenses.length === 0)
            return { packages: [], relationships: [] };
        const carrier = { name: name, version: '', type: 'deb', purl: '', licenses, foundBy: CARRIER, path: root ?? '', layer: file.layer, carrier: true };
        return { packages: [carrier], relationships: [] };
    },
};
const rootOf = (statusPath) => statusPath.replace(/\/var\/lib\/dpkg\/status(?:\.d\/[^/]+)?$/, '');
/**
 * Gives each dpkg package without a license the licenses of its copyright
 * file, and removes the carriers. In place: relationships refer to the
 * package objects themselves.
 */
function mergeCopyrightLicenses(packages) {
    const byKey = new Map();
    for (const p of packages)
        if (p.foundBy === CARRIER)
            byKey.set(`${p.path}\n${p.name}`, p.licenses);
    if (byKey.size === 0)
        return packages;
    for (const p of packages) {
        if (p.type !== 'deb' || p.foundBy === CARRIER || p.licenses.length > 0)
            continue;
        const licenses = byKey.get(`${rootOf(p.path)}\n${p.name}`);
        if (licenses)
            p.licenses = licenses;
    }
    return packages.filter((p) => p.foundBy !== CARRIER);
}

;// CONCATENATED MODULE: ./lib/catalogers/binary.js
// Executables worth a look for embedded build metadata (Go buildinfo,
// cargo-auditable): anything with an exec bit that is big enough to be a
// compiled program. Scripts pass too; the sinks reject them in their first bytes.
function isExecutable(_path, entry) {
    return (entry.mode & 0o111) !== 0 && entry.size > 4096;
}
// Random access over the chunks a sink kept, without concatenating them.
class Chunks {
    parts = [];
    starts = [];
    length = 0;
    push(chunk) {
        this.parts.push(chunk);
        this.starts.push(this.length);
        this.length += chunk.length;
    }
    read(offset, length) {
        if (offset < 0 || offset + length > this.length)
            throw new RangeError('read past end of file');
        const out = Buffer.allocUnsafe(length);
        let i = this.index(offset);
        let written = 0;
        while (written < length) {
            const part = this.parts[i];
            const from = offset + written - this.starts[i];
            written += part.copy(out, written, from, Math.min(part.length, from + length - written));
            i++;
        }
        return out;
    }
    index(offset) {
        let lo = 0;
        let hi = this.parts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (this.starts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    }
}

;// CONCATENATED MODULE: ./lib/catalogers/go-legacy.js
// Go 1.13–1.17 build info, read while the executable streams past. The
// "\xff Go buildinf:" header (flag bit 2 clear) holds two pointers to Go string
// headers (runtime.buildVersion, runtime.modinfo), each {data pointer, length}.
// The string headers sit in the data segment after the build info header, but
// the bytes they point to sit in .rodata, before it, so they have streamed
// past by the time the pointers are known. For executables that carry Go's
// build ID note (PT_NOTE named "Go"), the possible targets are noted on the
// way: every "go1." (a version string) and every module-info sentinel, each
// at its file offset. Once the pointers are mapped to file offsets through
// the ELF program headers, the strings are looked up there. The result is the
// Go ≥ 1.18 inline layout, so one parser reads both.
const HEAD = 4096; // ELF and program headers, and the Go note, sit in the first page
const VERSION = Buffer.from('go1.', 'latin1');
const SENTINEL = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const MAX_VERSION = 48;
const MAX_MODINFO = 256 * 1024;
const MAX_VERSION_CANDIDATES = 4096;
const MAX_MODINFO_CANDIDATES = 4;
const SEAM = 15; // a needle split across chunks: at most 15 of its bytes in the earlier one
// An unsigned word of `size` bytes (4 or 8: a pointer, or an ELF field).
function word(buf, at, size, be) {
    if (size === 8)
        return Number(be ? buf.readBigUInt64BE(at) : buf.readBigUInt64LE(at));
    return be ? buf.readUInt32BE(at) : buf.readUInt32LE(at);
}
function parseElf(head) {
    if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46)
        return undefined;
    const is64 = head[4] === 2;
    const le = head[5] === 1;
    const u16 = (o) => (le ? head.readUInt16LE(o) : head.readUInt16BE(o));
    const u32 = (o) => word(head, o, 4, !le);
    const uw = (o) => word(head, o, is64 ? 8 : 4, !le);
    const phoff = uw(is64 ? 0x20 : 0x1c);
    const phentsize = u16(is64 ? 0x36 : 0x2a);
    const phnum = u16(is64 ? 0x38 : 0x2c);
    if (phentsize < (is64 ? 56 : 32) || phoff + phnum * phentsize > head.length)
        return undefined;
    const elf = { le, loads: [] };
    let goNote = false;
    for (let i = 0; i < phnum; i++) {
        const p = phoff + i * phentsize;
        const type = u32(p);
        const off = uw(p + (is64 ? 8 : 4));
        const va = uw(p + (is64 ? 16 : 8));
        const size = uw(p + (is64 ? 32 : 16));
        if (type === 1)
            elf.loads.push({ off, va, size });
        if (type === 4 && off + size <= head.length) {
            // notes: namesz, descsz, type, name and desc each padded to 4
            for (let n = off; n + 12 <= off + size;) {
                const namesz = u32(n);
                const descsz = u32(n + 4);
                if (namesz === 4 && u32(n + 8) === 4 && head.toString('latin1', n + 12, n + 16) === 'Go\0\0')
                    goNote = true;
                n += 12 + Math.ceil(namesz / 4) * 4 + Math.ceil(descsz / 4) * 4;
            }
        }
    }
    return { elf, goNote };
}
class LegacyBuildInfo {
    head = [];
    headLength = 0;
    elf;
    enabled = false;
    decided = false;
    tail = Buffer.alloc(0);
    versions = new Map();
    modinfos = new Map();
    pending = [];
    header;
    /** Bytes [at, at + chunk.length) of the file, in order. */
    push(chunk, at) {
        if (!this.decided) {
            this.head.push(chunk);
            this.headLength += chunk.length;
            if (this.headLength >= HEAD)
                this.decide();
            return;
        }
        if (this.enabled)
            this.observe(chunk, at);
    }
    decide() {
        this.decided = true;
        const head = Buffer.concat(this.head);
        this.head = [];
        const parsed = parseElf(head);
        this.enabled = !!parsed?.goNote;
        this.elf = parsed?.elf;
        if (this.enabled)
            this.observe(head, 0);
    }
    observe(chunk, at) {
        const window = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
        const base = at - this.tail.length;
        const note = (needle, into, max, length) => {
            for (let i = window.indexOf(needle); i !== -1 && into.size < max; i = window.indexOf(needle, i + 1)) {
                if (into.has(base + i))
                    continue;
                const c = { offset: base + i, buf: Buffer.alloc(length), filled: 0 };
                into.set(c.offset, c);
                this.pending.push(c);
            }
        };
        note(VERSION, this.versions, MAX_VERSION_CANDIDATES, MAX_VERSION);
        note(SENTINEL, this.modinfos, MAX_MODINFO_CANDIDATES, MAX_MODINFO);
        for (const c of this.pending) {
            const from = Math.max(c.offset, base);
            const to = Math.min(c.offset + c.buf.length, base + window.length);
            if (to > from) {
                window.copy(c.buf, from - c.offset, from - base, to - base);
                c.filled = Math.max(c.filled, to - c.offset);
            }
        }
        this.pending = this.pending.filter((c) => c.filled < c.buf.length);
        this.tail = Buffer.from(window.subarray(Math.max(0, window.length - SEAM)));
    }
    fileOffset(va) {
        const seg = this.elf?.loads.find((s) => va >= s.va && va < s.va + s.size);
        return seg ? va - seg.va + seg.off : undefined;
    }
    /** The 32-byte pointer-format header, found at file offset `at` (before the bytes that follow it are pushed). */
    found(header, at) {
        if (!this.decided)
            this.decide();
        if (!this.enabled || this.header)
            return false;
        const ptrSize = header[14];
        const be = (header[15] & 1) !== 0;
        const ptr = (o) => word(header, o, ptrSize, be);
        const want = (va) => {
            const off = this.fileOffset(va);
            const c = { offset: off ?? -1, buf: Buffer.alloc(2 * ptrSize), filled: 0 };
            if (off !== undefined && off >= at)
                this.pending.push(c);
            return c;
        };
        this.header = { ptrSize, be, version: want(ptr(16)), modinfo: want(ptr(16 + ptrSize)) };
        return true;
    }
    /** The build info in Go ≥ 1.18's inline layout, or undefined. */
    end() {
        const h = this.header;
        if (!h || h.version.filled < h.version.buf.length || h.modinfo.filled < h.modinfo.buf.length)
            return undefined;
        const read = (c, o) => word(c.buf, o, h.ptrSize, h.be);
        const string = (c, from) => {
            const [va, length] = [read(c, 0), read(c, h.ptrSize)];
            if (length === 0)
                return Buffer.alloc(0);
            const off = this.fileOffset(va);
            const found = off === undefined ? undefined : from.get(off);
            return found && length <= found.filled ? found.buf.subarray(0, length) : undefined;
        };
        const version = string(h.version, this.versions);
        const modinfo = string(h.modinfo, this.modinfos) ?? Buffer.alloc(0);
        if (!version)
            return undefined;
        const varint = (n) => {
            const out = [];
            for (; n >= 0x80; n = Math.floor(n / 128))
                out.push((n & 0x7f) | 0x80);
            out.push(n);
            return Buffer.from(out);
        };
        const inline = Buffer.alloc(32);
        inline.write('\xff Go buildinf:', 0, 'latin1');
        inline[14] = h.ptrSize;
        inline[15] = 2;
        return Buffer.concat([inline, varint(version.length), version, varint(modinfo.length), modinfo]);
    }
}

;// CONCATENATED MODULE: ./lib/catalogers/go.js



// Go ≥ 1.18 embeds build info as "\xff Go buildinf:" + ptrSize + flags at a
// 16-byte-aligned spot in the data segment; with flag 2 the Go version and the
// module info follow inline as varint-prefixed strings. The same 14 bytes also
// occur as a string literal in programs that import debug/buildinfo, hence the
// alignment and flag checks. Go 1.13–1.17 store pointers instead (flag bit 2
// clear): go-legacy.ts follows them while the file streams.
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const KEEP = 1024 * 1024; // build info is a few KB; 1 MB is plenty
// 1: inline (Go ≥ 1.18), 0: pointers (Go 1.13–1.17), -1: not a header
function headerKind(buf, i) {
    const ptrSize = buf[i + 14];
    if (ptrSize !== 4 && ptrSize !== 8)
        return -1;
    const flags = buf[i + 15];
    return (flags & 0x2) !== 0 ? 1 : (flags & ~0x1) === 0 ? 0 : -1;
}
// Streams an executable and keeps only the bytes from the build info header on.
function buildInfoSink() {
    let offset = 0;
    let tail = Buffer.alloc(0);
    let kept;
    let keptBytes = 0;
    const legacy = new LegacyBuildInfo();
    const keep = (b) => {
        if (keptBytes >= KEEP)
            return;
        kept.push(b);
        keptBytes += b.length;
    };
    // The first inline header (its index), after handing any pointer-format one to legacy.
    const find = (buf, base, maxStart) => {
        for (let i = buf.indexOf(MAGIC); i !== -1 && i < maxStart; i = buf.indexOf(MAGIC, i + 1)) {
            if ((base + i) % 16 !== 0 || i + 16 > buf.length)
                continue;
            const kind = headerKind(buf, i);
            if (kind === 1)
                return i;
            if (kind === 0 && i + 32 <= buf.length)
                legacy.found(buf.subarray(i, i + 32), base + i);
        }
        return -1;
    };
    return {
        push(chunk) {
            if (kept)
                return keep(chunk);
            // A header split across chunks is found in the seam of tail + head.
            if (tail.length > 0) {
                const seam = Buffer.concat([tail, chunk.subarray(0, 32)]);
                const i = find(seam, offset - tail.length, tail.length);
                if (i !== -1) {
                    kept = [];
                    keep(Buffer.from(seam.subarray(i, tail.length)));
                    keep(chunk);
                    return;
                }
            }
            const i = find(chunk, offset, chunk.length - 31);
            if (i !== -1) {
                kept = [];
                keep(chunk.subarray(i));
                return;
            }
            legacy.push(chunk, offset);
            offset += chunk.length;
            // the last 31 bytes of the stream so far, however small the chunks
            const recent = chunk.length >= 31 ? chunk : Buffer.concat([tail, chunk]);
            tail = Buffer.from(recent.subarray(Math.max(0, recent.length - 31)));
        },
        end: () => (kept ? Buffer.concat(kept).subarray(0, KEEP) : legacy.end()),
    };
}
function readVarint(buf, pos) {
    let value = 0;
    let shift = 0;
    for (let i = pos; i < buf.length && shift < 35; i++, shift += 7) {
        value += (buf[i] & 0x7f) * 2 ** shift;
        if ((buf[i] & 0x80) === 0)
            return [value, i + 1];
    }
    throw new Error('bad varint in Go build info');
}
function parseBuildInfo(buf) {
    let pos = 32;
    const [vlen, p1] = readVarint(buf, pos);
    const goVersion = buf.toString('utf8', p1, p1 + vlen);
    pos = p1 + vlen;
    const [mlen, p2] = readVarint(buf, pos);
    let modinfo = buf.toString('latin1', p2, p2 + mlen);
    // 16-byte sentinels wrap the module info so the linker can find it.
    if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n')
        modinfo = modinfo.slice(16, -16);
    modinfo = Buffer.from(modinfo, 'latin1').toString('utf8');
    const info = { goVersion, deps: [], settings: new Map() };
    let last;
    for (const line of modinfo.split('\n')) {
        const [kind, a = '', b = '', ...rest] = line.split('\t');
        if (kind === 'path')
            info.path = a;
        else if (kind === 'mod')
            info.main = last = { path: a, version: b };
        else if (kind === 'dep')
            info.deps.push((last = { path: a, version: b }));
        // "=> path version sum" replaces the module above; a local directory has no version.
        else if (kind === '=>' && last && b)
            Object.assign(last, { path: a, version: b });
        else if (kind === 'build') {
            const setting = [a, b, ...rest].join('\t');
            const eq = setting.indexOf('=');
            if (eq > 0)
                info.settings.set(setting.slice(0, eq), setting.slice(eq + 1));
        }
    }
    return info;
}
function goPurl(path, version) {
    const slash = path.lastIndexOf('/');
    return (0,purl/* purl */.E)('golang', slash > 0 ? path.slice(0, slash) : undefined, path.slice(slash + 1), version);
}
// "(devel)" main modules get a pseudo-version from the VCS stamp when there is one.
function mainVersion(info) {
    const version = info.main?.version ?? '(devel)';
    const revision = info.settings.get('vcs.revision');
    const time = info.settings.get('vcs.time');
    if (version !== '(devel)' || !revision || !time)
        return version;
    const stamp = time.replace(/[-:TZ]/g, '').slice(0, 14);
    return `v0.0.0-${stamp}-${revision.slice(0, 12)}`;
}
const go = {
    name: 'go-module-binary-cataloger',
    match: isExecutable,
    sink: () => buildInfoSink(),
    parse(file) {
        const info = parseBuildInfo(file.content);
        const make = (name, version, p) => ({
            name,
            version,
            type: 'go-module',
            purl: p,
            licenses: [],
            foundBy: go.name,
            path: file.path,
            layer: file.layer,
        });
        const deps = info.deps.map((d) => make(d.path, d.version, goPurl(d.path, d.version)));
        const stdVersion = info.goVersion.replace(/^go/, '').split(' ')[0];
        const stdlib = make('stdlib', stdVersion, (0,purl/* purl */.E)('golang', undefined, 'stdlib', stdVersion));
        const packages = [...deps, stdlib];
        const relationships = [];
        if (info.main?.path) {
            const version = mainVersion(info);
            const main = make(info.main.path, version, goPurl(info.main.path, version));
            packages.unshift(main);
            for (const to of [...deps, stdlib])
                relationships.push({ from: main, to });
        }
        return { packages, relationships };
    },
};

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./lib/catalogers/zip.js

// A zip reader for archives that may be hostile: it trusts no count, size or
// offset it has not checked against the bytes it holds (APPNOTE 6.3 layout;
// the count check as Go's archive/zip does it). Entries are read from the
// central directory one at a time; only the ones asked for are inflated, by
// zlib with an output cap, so no entry can inflate past its declared size.
const EOCD = 0x06054b50;
const EOCD_LEN = 22;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const CENTRAL_LEN = 46;
const LOCAL = 0x04034b50;
const LOCAL_LEN = 30;
const MAX_COMMENT = 0xffff;
class ZipError extends Error {
}
function u64(buf, at) {
    const v = buf.readBigUInt64LE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
        throw new ZipError('zip64 field out of range');
    return Number(v);
}
function directory(zip) {
    let eocd = -1;
    for (let at = zip.length - EOCD_LEN; at >= 0 && at >= zip.length - EOCD_LEN - MAX_COMMENT; at--) {
        if (zip.readUInt32LE(at) === EOCD) {
            eocd = at;
            break;
        }
    }
    if (eocd < 0)
        throw new ZipError('no end of central directory record');
    let count = zip.readUInt16LE(eocd + 10);
    let size = zip.readUInt32LE(eocd + 12);
    let offset = zip.readUInt32LE(eocd + 16);
    let end = eocd;
    const locator = eocd - 20;
    if (locator >= 0 && zip.readUInt32LE(locator) === ZIP64_LOCATOR) {
        const record = u64(zip, locator + 8);
        if (record + 56 > locator || zip.readUInt32LE(record) !== ZIP64_EOCD)
            throw new ZipError('bad zip64 end of central directory record');
        count = u64(zip, record + 32);
        size = u64(zip, record + 40);
        offset = u64(zip, record + 48);
        end = record;
    }
    if (offset + size > end)
        throw new ZipError(`central directory (${size} bytes at ${offset}) lies outside the ${zip.length}-byte archive`);
    // Each directory record is at least 46 bytes: a count the directory cannot
    // hold is a lie (Go's archive/zip refuses it the same way).
    if (count > size / CENTRAL_LEN)
        throw new ZipError(`claims ${count} entries, but its ${size}-byte central directory holds at most ${Math.floor(size / CENTRAL_LEN)}`);
    return { count, offset, size, end };
}
// All entries, validated: every record inside the directory, every local
// header and its data before the directory, and no two entries' bytes
// overlapping (the overlap is how a few KiB "zip bomb" names one deflated
// kernel thousands of times).
function zipEntries(zip) {
    const dir = directory(zip);
    const entries = [];
    const starts = new Float64Array(dir.count);
    const ends = new Float64Array(dir.count);
    let at = dir.offset;
    for (let i = 0; i < dir.count; i++) {
        if (at + CENTRAL_LEN > dir.offset + dir.size || zip.readUInt32LE(at) !== CENTRAL)
            throw new ZipError(`central directory record ${i} is malformed`);
        const method = zip.readUInt16LE(at + 10);
        let compressedSize = zip.readUInt32LE(at + 20);
        let size = zip.readUInt32LE(at + 24);
        const nameLen = zip.readUInt16LE(at + 28);
        const extraLen = zip.readUInt16LE(at + 30);
        const commentLen = zip.readUInt16LE(at + 32);
        let local = zip.readUInt32LE(at + 42);
        const next = at + CENTRAL_LEN + nameLen + extraLen + commentLen;
        if (next > dir.offset + dir.size)
            throw new ZipError(`central directory record ${i} runs past the directory`);
        const name = zip.toString('utf8', at + CENTRAL_LEN, at + CENTRAL_LEN + nameLen);
        // zip64 extra field (id 1): the 64-bit values, in this order, for the fields saturated above.
        if (size === 0xffffffff || compressedSize === 0xffffffff || local === 0xffffffff) {
            for (let x = at + CENTRAL_LEN + nameLen; x + 4 <= at + CENTRAL_LEN + nameLen + extraLen;) {
                const id = zip.readUInt16LE(x);
                const len = zip.readUInt16LE(x + 2);
                if (id === 1) {
                    let f = x + 4;
                    const take = () => {
                        if (f + 8 > x + 4 + len)
                            throw new ZipError(`zip64 extra field of ${name} is short`);
                        const v = u64(zip, f);
                        f += 8;
                        return v;
                    };
                    if (size === 0xffffffff)
                        size = take();
                    if (compressedSize === 0xffffffff)
                        compressedSize = take();
                    if (local === 0xffffffff)
                        local = take();
                    break;
                }
                x += 4 + len;
            }
        }
        if (local + LOCAL_LEN > dir.offset || zip.readUInt32LE(local) !== LOCAL)
            throw new ZipError(`entry ${name}: no local header at ${local}`);
        const dataStart = local + LOCAL_LEN + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        if (dataStart + compressedSize > dir.offset)
            throw new ZipError(`entry ${name}: data runs into the central directory`);
        starts[i] = local;
        ends[i] = dataStart + compressedSize;
        entries.push({ name, method, compressedSize, size, dataStart });
        at = next;
    }
    const order = Array.from(starts.keys()).sort((a, b) => starts[a] - starts[b]);
    for (let k = 1; k < order.length; k++) {
        const prev = order[k - 1];
        const cur = order[k];
        if (starts[cur] < ends[prev])
            throw new ZipError(`entries ${entries[prev].name} and ${entries[cur].name} overlap`);
    }
    return entries;
}
// The entry's bytes: stored ones as a view (no copy), deflated ones inflated
// with zlib's output cap at the declared size (which the caller has bounded).
function readEntry(zip, entry) {
    const data = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    if (entry.method === 0)
        return data;
    if (entry.method !== 8)
        throw new ZipError(`entry ${entry.name}: compression method ${entry.method} is not supported`);
    try {
        return (0,external_node_zlib_.inflateRawSync)(data, { maxOutputLength: Math.max(entry.size, 1) });
    }
    catch (err) {
        if (err.code === 'ERR_BUFFER_TOO_LARGE')
            throw new ZipError(`entry ${entry.name} inflates past its declared ${entry.size} bytes`);
        throw new ZipError(`entry ${entry.name}: ${err.message}`);
    }
}

;// CONCATENATED MODULE: ./lib/catalogers/java.js




// Java archives need the zip central directory (at the end), so the archive is
// buffered, and reduced as soon as it has streamed past to the few small
// entries that identify packages: MANIFEST.MF, pom.properties and, recursively,
// nested archives (Spring Boot's BOOT-INF/lib, WEB-INF/lib, ear modules).
// Every archive is validated before anything in it is inflated (zip.ts), and
// depth, counts and inflated bytes are bounded (limits.ts); what a bound
// leaves unread is reported, naming the archive.
const ARCHIVE = /\.(?:jar|war|ear|par|sar|nar|jpi|hpi|kar|rar)$/i;
function take(walk, bytes) {
    if (walk.inflated + bytes > MAX_INFLATED_PER_ARCHIVE)
        return false;
    if (walk.scan && walk.scan.inflatedBytes + bytes > MAX_INFLATED_PER_IMAGE)
        return false;
    walk.inflated += bytes;
    if (walk.scan)
        walk.scan.inflatedBytes += bytes;
    return true;
}
function archiveFactsIn(name, zip, walk, depth, where) {
    const facts = { name, poms: [], nested: [] };
    const entries = zipEntries(zip).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
        const licenseFile = LICENSE_FILE.test(entry.name);
        const metadata = entry.name === 'META-INF/MANIFEST.MF' ||
            licenseFile ||
            (entry.name.startsWith('META-INF/maven/') && (entry.name.endsWith('/pom.properties') || entry.name.endsWith('/pom.xml')));
        const nested = !metadata && ARCHIVE.test(entry.name);
        if (!metadata && !nested)
            continue;
        const at = `${where}!/${entry.name}`;
        if (nested && depth >= MAX_NESTING_DEPTH) {
            walk.problems.push(`${at}: nested deeper than ${MAX_NESTING_DEPTH} archives, not read`);
            continue;
        }
        if (nested && ++walk.archives > MAX_NESTED_ARCHIVES) {
            walk.problems.push(`${where}: more than ${MAX_NESTED_ARCHIVES} nested archives, the rest not read`);
            break;
        }
        const cap = metadata ? MAX_METADATA_ENTRY : MAX_NESTED_ARCHIVE;
        if (entry.size > cap) {
            walk.problems.push(`${at}: ${entry.size} bytes, over the ${cap}-byte limit for ${metadata ? 'a metadata file' : 'a nested archive'}, not read`);
            continue;
        }
        if (entry.method !== 0 && !take(walk, entry.size)) {
            walk.problems.push(`${at}: inflate limit reached (${MAX_INFLATED_PER_ARCHIVE} bytes per archive, ${MAX_INFLATED_PER_IMAGE} per image), not read`);
            continue;
        }
        let bytes;
        try {
            bytes = readEntry(zip, entry);
        }
        catch (err) {
            walk.problems.push(`${at}: ${err.message}`);
            continue;
        }
        if (entry.name === 'META-INF/MANIFEST.MF')
            facts.manifest = bytes.toString('utf8');
        else if (licenseFile)
            facts.licenseText ??= bytes.subarray(0, 4096).toString('utf8');
        else if (entry.name.endsWith('/pom.xml'))
            (facts.pomXmls ??= []).push(bytes.toString('utf8'));
        else if (metadata)
            facts.poms.push(bytes.toString('utf8'));
        else {
            try {
                facts.nested.push(archiveFactsIn((0,common/* basename */.P8)(entry.name), bytes, walk, depth + 1, at));
            }
            catch (err) {
                // A corrupt nested archive does not spoil its parent, but is reported.
                walk.problems.push(`${at}: ${err.message}`);
            }
        }
    }
    return facts;
}
// Facts of one archive and what could not be read in it. Throws ZipError when
// the archive itself is not a valid zip.
function archiveFacts(name, zip, scan) {
    const walk = { inflated: 0, archives: 0, problems: [], scan };
    const facts = archiveFactsIn(name, zip, walk, 0, name);
    return { facts, problems: walk.problems };
}
function archiveSink(path, scan) {
    const parts = [];
    let size = 0;
    return {
        push(chunk) {
            size += chunk.length;
            if (size <= MAX_ARCHIVE)
                parts.push(chunk);
        },
        end() {
            if (size === 0)
                return undefined;
            if (size > MAX_ARCHIVE) {
                scan?.warn(path, `${size} bytes, over the ${MAX_ARCHIVE}-byte limit for a Java archive, not read`);
                return undefined;
            }
            try {
                const { facts, problems } = archiveFacts((0,common/* basename */.P8)(path), Buffer.concat(parts, size), scan);
                parts.length = 0;
                // Inner paths start with the archive's own name; the scan names the file.
                for (const p of problems.slice(0, 20))
                    scan?.warn(path, p.startsWith(facts.name) ? p.slice(facts.name.length).replace(/^!\//, '') : p);
                if (problems.length > 20)
                    scan?.warn(path, `${problems.length - 20} more problems in this archive`);
                return Buffer.from(JSON.stringify(facts));
            }
            catch (err) {
                // Not a zip at all is common (a .rar that is RAR); an invalid zip is worth a word.
                if (err instanceof ZipError && !/no end of central directory/.test(err.message))
                    scan?.warn(path, `not read: ${err.message}`);
                return undefined;
            }
        },
    };
}
function properties(text) {
    const map = new Map();
    for (const line of text.split(/\r?\n/)) {
        const m = /^\s*([^#!=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
        if (m)
            map.set(m[1], m[2].trim());
    }
    return map;
}
// The project's own coordinates in a pom.xml: groupId and version fall back
// to <parent>'s, ${...} references resolve from <properties> and the
// project's own fields (as syft's Maven resolver does offline); licenses are
// the <licenses><license><name> values.
function pomXml(text) {
    const xml = text.replace(/<!--[\s\S]*?-->/g, '');
    // Blocks found with indexOf, so a hostile pom costs linear time.
    const opening = (tag, within, from) => {
        for (let i = within.indexOf(`<${tag}`, from); i !== -1; i = within.indexOf(`<${tag}`, i + 1)) {
            const c = within[i + tag.length + 1];
            if (c === '>' || c === ' ' || c === '\t' || c === '\n' || c === '\r')
                return i;
        }
        return -1;
    };
    const blocks = (tag, within) => {
        const out = [];
        for (let at = 0;;) {
            const start = opening(tag, within, at);
            if (start === -1)
                return out;
            const body = within.indexOf('>', start) + 1;
            const end = within.indexOf(`</${tag}>`, body);
            if (body === 0 || end === -1)
                return out;
            out.push([start, end + tag.length + 3, within.slice(body, end)]);
            at = end;
        }
    };
    const block = (tag, within = xml) => blocks(tag, within)[0]?.[2];
    const value = (tag, within) => block(tag, within)?.trim();
    const parent = block('parent') ?? '';
    // the project's direct children: drop the blocks whose children share names with them
    let own = xml;
    for (const tag of [
        'parent',
        'dependencies',
        'dependencyManagement',
        'build',
        'profiles',
        'reporting',
        'pluginRepositories',
        'repositories',
        'distributionManagement',
        'licenses',
        'developers',
        'contributors',
        'organization',
        'scm',
        'issueManagement',
        'ciManagement',
        'mailingLists',
        'modules',
        'properties',
    ]) {
        const kept = [];
        let from = 0;
        for (const [start, end] of blocks(tag, own)) {
            kept.push(own.slice(from, start));
            from = end;
        }
        own = kept.join('') + own.slice(from);
    }
    const props = new Map();
    for (const m of (block('properties') ?? '').matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g))
        props.set(m[1], m[2].trim());
    const raw = {
        groupId: value('groupId', own) ?? value('groupId', parent),
        artifactId: value('artifactId', own),
        version: value('version', own) ?? value('version', parent),
    };
    props.set('project.groupId', raw.groupId ?? '');
    props.set('project.version', raw.version ?? '');
    props.set('project.artifactId', raw.artifactId ?? '');
    props.set('project.parent.version', value('version', parent) ?? '');
    props.set('project.parent.groupId', value('groupId', parent) ?? '');
    const resolve = (v) => {
        for (let i = 0; v && i < 8 && v.includes('${'); i++)
            v = v.replace(/\$\{([^}]+)\}/g, (ref, name) => props.get(name) || ref);
        return v && !v.includes('${') ? v : undefined;
    };
    const licenses = blocks('license', block('licenses') ?? '')
        .map(([, , body]) => value('name', body))
        .filter((n) => !!n);
    return { groupId: resolve(raw.groupId), artifactId: resolve(raw.artifactId), version: resolve(raw.version), licenses };
}
// MANIFEST.MF: "Key: value" with 72-byte lines continued by a leading space.
function manifest(text) {
    const map = new Map();
    const unfolded = text.replace(/\r?\n /g, '');
    for (const line of unfolded.split(/\r?\n/)) {
        if (line === '')
            break; // main section only
        const colon = line.indexOf(':');
        if (colon > 0)
            map.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    return map;
}
// "commons-lang3-3.12.0.jar" → ["commons-lang3", "3.12.0"]
function fromFileName(file) {
    const stem = file.replace(ARCHIVE, '');
    const m = /^(.+?)-(\d[\w.+-]*)$/.exec(stem);
    return m ? [m[1], m[2]] : [stem, undefined];
}
// A license the archive names: Bundle-License (an SPDX id, or a well-known
// license URL), else the bundled license text when it starts with one of the
// few standard texts recognised here (what syft concludes from the text).
const LICENSE_FILE = /^META-INF\/LICENSE(?:\.txt|\.md)?$/i;
const LICENSE_URLS = [
    [/apache\.org\/licenses\/LICENSE-2\.0/i, 'Apache-2.0'],
    [/opensource\.org\/licenses\/MIT/i, 'MIT'],
    [/eclipse\.org\/legal\/epl-2\.0/i, 'EPL-2.0'],
    [/eclipse\.org\/legal\/epl-v10/i, 'EPL-1.0'],
];
const LICENSE_TEXTS = [
    [/^\s*Apache License\s+Version 2\.0, January 2004/, 'Apache-2.0'],
    [/^\s*Eclipse Public License - v 2\.0/, 'EPL-2.0'],
    [/^\s*Eclipse Public License - v 1\.0/, 'EPL-1.0'],
];
function archiveLicense(bundleLicense, text) {
    if (bundleLicense) {
        if (!/^https?:/.test(bundleLicense))
            return bundleLicense;
        const known = LICENSE_URLS.find(([re]) => re.test(bundleLicense));
        if (known)
            return known[1];
    }
    return text ? LICENSE_TEXTS.find(([re]) => re.test(text))?.[1] : undefined;
}
function packagesOf(facts, make) {
    const out = [];
    const mf = facts.manifest ? manifest(facts.manifest) : new Map();
    const licenseName = archiveLicense(mf.get('Bundle-License'), facts.licenseText);
    // No pom.properties but exactly one pom.xml: its coordinates, as syft takes them.
    const pom = facts.poms.length === 0 && facts.pomXmls?.length === 1 ? pomXml(facts.pomXmls[0]) : undefined;
    if (facts.poms.length > 0) {
        for (const pom of facts.poms) {
            const p = properties(pom);
            const artifact = p.get('artifactId');
            const version = p.get('version');
            if (artifact && version)
                out.push(make(artifact, version, p.get('groupId'), licenseName));
        }
    }
    else if (pom?.artifactId) {
        const version = pom.version ?? mf.get('Implementation-Version') ?? mf.get('Bundle-Version') ?? fromFileName(facts.name)[1];
        if (version)
            out.push(make(pom.artifactId, version, pom.groupId, licenseName ?? pom.licenses[0]));
    }
    else {
        const [fileName, fileVersion] = fromFileName(facts.name);
        const symbolic = mf.get('Bundle-SymbolicName')?.split(';')[0];
        const name = mf.get('Implementation-Title') ?? fileName;
        const version = mf.get('Implementation-Version') ?? mf.get('Bundle-Version') ?? fileVersion;
        const group = mf.get('Implementation-Vendor-Id') ?? (symbolic?.includes('.') ? symbolic.slice(0, symbolic.lastIndexOf('.')) : undefined);
        if (version)
            out.push(make(fileName || name, version, group, licenseName));
    }
    for (const nested of facts.nested)
        out.push(...packagesOf(nested, make));
    return out;
}
const java = {
    name: 'java-archive-cataloger',
    match: (path) => ARCHIVE.test(path),
    sink: (path, _entry, scan) => archiveSink(path, scan),
    ordered: true, // the image-wide inflate budget is spent in layer order
    parse(file) {
        const facts = JSON.parse(file.content.toString('utf8'));
        const make = (name, version, group, license) => ({
            name,
            version,
            group,
            type: 'java-archive',
            purl: (0,purl/* purl */.E)('maven', group ?? name, name, version),
            licenses: license ? [license] : [],
            foundBy: java.name,
            path: file.path,
            layer: file.layer,
        });
        return { packages: packagesOf(facts, make), relationships: [] };
    },
};

;// CONCATENATED MODULE: ./lib/catalogers/npm.js


function licenseOf(value) {
    if (typeof value === 'string')
        return value;
    if (value && typeof value === 'object' && typeof value.type === 'string') {
        return value.type;
    }
    return undefined;
}
// A key as Go's encoding/json matches it (and so syft): exactly, else in any
// case ("LICENSE": "MPL-2.0" is a license field to it).
function caseless(json, key) {
    if (key in json)
        return json[key];
    const other = Object.keys(json).find((k) => k.toLowerCase() === key);
    return other === undefined ? undefined : json[other];
}
function depNames(value) {
    return value && typeof value === 'object' ? Object.keys(value) : [];
}
// Installed packages only: every package.json in the image (node_modules and
// app roots), not lock files. Files without a name are markers such as
// {"type":"module"} in a package's subfolder, not packages. A named package
// without a version (an unpublished app) is listed as syft lists it: version
// UNKNOWN, and a purl without one.
const UNKNOWN = 'UNKNOWN';
const npm = {
    name: 'javascript-package-cataloger',
    match: (path) => path.endsWith('/package.json'),
    parse(file) {
        const json = JSON.parse(file.content.toString('utf8'));
        if (typeof json !== 'object' || json === null)
            return { packages: [], relationships: [] };
        const { name } = json;
        if (typeof name !== 'string' || name === '')
            return { packages: [], relationships: [] };
        const version = typeof json.version === 'string' && json.version !== '' ? json.version : UNKNOWN;
        const license = caseless(json, 'license');
        const list = caseless(json, 'licenses');
        const licenses = [licenseOf(license), ...(Array.isArray(list) ? list.map(licenseOf) : [])];
        const scoped = name.startsWith('@') && name.includes('/');
        return {
            packages: [
                {
                    name,
                    version,
                    type: 'npm',
                    purl: (0,purl/* purl */.E)('npm', scoped ? name.slice(0, name.indexOf('/')) : undefined, scoped ? name.slice(name.indexOf('/') + 1) : name, version === UNKNOWN ? undefined : version),
                    licenses: licenses.filter((l) => !!l),
                    foundBy: npm.name,
                    path: file.path,
                    layer: file.layer,
                    requires: [...depNames(json.dependencies), ...depNames(json.optionalDependencies)],
                },
            ],
            relationships: [],
        };
    },
    // Node's resolution: from the package's folder upwards, the first
    // node_modules/<dep> wins.
    relate(packages) {
        const byDir = new Map();
        for (const p of packages)
            byDir.set((0,common/* dirname */.pD)(p.path), p);
        const edges = [];
        for (const p of packages) {
            for (const dep of new Set(p.requires)) {
                for (let dir = (0,common/* dirname */.pD)(p.path);; dir = (0,common/* dirname */.pD)(dir)) {
                    if ((0,common/* basename */.P8)(dir) === 'node_modules')
                        continue;
                    const to = byDir.get(`${dir === '/' ? '' : dir}/node_modules/${dep}`);
                    if (to) {
                        edges.push({ from: p, to });
                        break;
                    }
                    if (dir === '/')
                        break;
                }
            }
        }
        return edges;
    },
};

;// CONCATENATED MODULE: ./lib/catalogers/php.js


const php = {
    name: 'php-composer-installed-cataloger',
    match: (path) => path.endsWith('/installed.json'),
    parse(file) {
        const json = JSON.parse(file.content.toString('utf8'));
        const list = Array.isArray(json) ? json : json?.packages;
        const packages = [];
        for (const p of Array.isArray(list) ? list : []) {
            if (typeof p.name !== 'string' || typeof p.version !== 'string' || !p.name.includes('/'))
                continue;
            const [vendor, name] = [p.name.slice(0, p.name.indexOf('/')), p.name.slice(p.name.indexOf('/') + 1)];
            packages.push({
                name: p.name,
                version: p.version,
                type: 'php-composer',
                purl: (0,purl/* purl */.E)('composer', vendor, name, p.version),
                licenses: Array.isArray(p.license) ? p.license.filter((l) => typeof l === 'string') : typeof p.license === 'string' ? [p.license] : [],
                foundBy: php.name,
                path: file.path,
                layer: file.layer,
                requires: p.require && typeof p.require === 'object' ? Object.keys(p.require) : [],
            });
        }
        return { packages, relationships: [] };
    },
    relate: (packages) => (0,common/* relateByName */.uJ)(packages, (p) => (0,common/* dirname */.pD)(p.path)),
};

;// CONCATENATED MODULE: ./lib/catalogers/python.js


// Installed distributions: wheel-style *.dist-info/METADATA, setuptools
// *.egg-info/PKG-INFO, and the single-file *.egg-info Debian ships for some.
function normalizePythonName(name) {
    return name.toLowerCase().replace(/[-_.]+/g, '-');
}
function isMetadataPath(path) {
    const base = (0,common/* basename */.P8)(path);
    const parent = (0,common/* basename */.P8)((0,common/* dirname */.pD)(path));
    if (base === 'METADATA')
        return parent.endsWith('.dist-info');
    if (base === 'PKG-INFO')
        return parent.endsWith('.egg-info');
    return base.endsWith('.egg-info');
}
// "requests[socks] (>=2.0) ; python_version < '3.8'" → "requests"; extras
// are optional features, not installed dependencies.
function requirement(spec) {
    if (/;\s*.*\bextra\s*==/.test(spec))
        return undefined;
    return /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec.trim())?.[0];
}
// Trove license classifiers, for distributions that declare neither
// License-Expression nor License: the common ones name one SPDX license.
const python_CLASSIFIERS = {
    'MIT License': 'MIT',
    'Apache Software License': 'Apache-2.0',
    'ISC License (ISCL)': 'ISC',
    'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
    'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
    'GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
    'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
    'GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
    'GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
    'GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
    'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
    'GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
    'Python Software Foundation License': 'PSF-2.0',
    'The Unlicense (Unlicense)': 'Unlicense',
    'Zope Public License': 'ZPL-2.1',
};
function classifierLicenses(headers) {
    const out = [];
    for (const c of headers.get('classifier') ?? []) {
        const m = /^License\s*::\s*(?:OSI Approved\s*::\s*)?(.+)$/.exec(c.trim());
        const id = m && python_CLASSIFIERS[m[1].trim()];
        if (id)
            out.push(id);
    }
    return [...new Set(out)];
}
const python = {
    name: 'python-installed-package-cataloger',
    match: (path, entry) => entry.size < 4 * 1024 * 1024 && isMetadataPath(path),
    parse(file) {
        // Only the header block: the body after the first blank line is the long description.
        const text = file.content.toString('utf8');
        const end = text.search(/\r?\n\r?\n/);
        const headers = (0,common/* parseStanzas */.kw)(end === -1 ? text : text.slice(0, end))[0];
        const name = headers && (0,common/* field */.ZZ)(headers, 'name');
        const version = headers && (0,common/* field */.ZZ)(headers, 'version');
        if (!headers || !name || !version)
            return { packages: [], relationships: [] };
        const expression = (0,common/* field */.ZZ)(headers, 'license-expression');
        const license = (0,common/* field */.ZZ)(headers, 'license');
        const licenses = expression ? [expression] : license && license !== 'UNKNOWN' && !license.includes('\n') ? [license] : classifierLicenses(headers);
        const normalized = normalizePythonName(name);
        return {
            packages: [
                {
                    name: normalized,
                    version,
                    type: 'python',
                    purl: (0,purl/* purl */.E)('pypi', undefined, normalized, version),
                    licenses,
                    foundBy: python.name,
                    path: file.path,
                    layer: file.layer,
                    requires: (headers.get('requires-dist') ?? []).map(requirement).filter((r) => !!r),
                },
            ],
            relationships: [],
        };
    },
    // One site-packages folder is one environment.
    relate: (packages) => (0,common/* relateByName */.uJ)(packages, (p) => ((0,common/* basename */.P8)(p.path).endsWith('.egg-info') ? (0,common/* dirname */.pD)(p.path) : (0,common/* dirname */.pD)((0,common/* dirname */.pD)(p.path))), normalizePythonName),
};

;// CONCATENATED MODULE: ./lib/catalogers/rpm/bdb.js
// rpm's BerkeleyDB backend (Packages on RHEL ≤ 8, Amazon Linux 2): a hash
// database whose values are header blobs. Rather than walk buckets, every hash
// page is scanned; values are either inline (H_KEYDATA) or, for anything
// bigger than a fraction of a page, a chain of overflow pages (H_OFFPAGE).
// Page fields are in the byte order of the machine that wrote the file.
const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASH = 13;
const P_HASHMETA = 8;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;
function isBdbHash(db) {
    return db.length >= 512 && (db.readUInt32LE(12) === HASH_MAGIC || db.readUInt32BE(12) === HASH_MAGIC);
}
// Values, one at a time. An overflow page belongs to exactly one value in a
// real database, so a page seen twice (a chain that loops, or two values
// sharing pages) is refused: the values together are then at most the file's
// size. A bad value is reported through `skip` and the scan goes on.
function* bdbValues(db, skip = () => { }) {
    if (!isBdbHash(db))
        throw new Error('not a BerkeleyDB hash database');
    const le = db.readUInt32LE(12) === HASH_MAGIC;
    const u32 = (at) => (le ? db.readUInt32LE(at) : db.readUInt32BE(at));
    const u16 = (at) => (le ? db.readUInt16LE(at) : db.readUInt16BE(at));
    if (db[25] !== P_HASHMETA)
        throw new Error('BerkeleyDB database is not a hash');
    const pageSize = u32(20);
    // BerkeleyDB page sizes are powers of two from 512 to 64 KiB.
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
        throw new Error(`BerkeleyDB page size ${pageSize} is invalid`);
    const lastPage = Math.min(u32(32), Math.floor(db.length / pageSize) - 1);
    const used = new Uint8Array(lastPage + 1); // overflow pages already part of a value
    const overflow = (first, total) => {
        if (total > db.length)
            throw new Error(`overflow value claims ${total} bytes, more than the file holds`);
        const parts = [];
        let size = 0;
        for (let page = first; page !== 0 && size < total;) {
            if (page > lastPage)
                throw new Error(`overflow chain points past the last page (${page})`);
            if (used[page])
                throw new Error(`overflow chain revisits page ${page} (a loop, or pages shared by two values)`);
            used[page] = 1;
            const base = page * pageSize;
            if (db[base + 25] !== P_OVERFLOW)
                throw new Error(`overflow chain reaches page ${page}, which is not an overflow page`);
            const len = Math.min(u16(base + 22), pageSize - PAGE_HEADER); // hf_offset holds the byte count on overflow pages
            parts.push(db.subarray(base + PAGE_HEADER, base + PAGE_HEADER + len));
            size += len;
            page = u32(base + 16); // next_pgno
        }
        return Buffer.concat(parts, size).subarray(0, total);
    };
    for (let page = 1; page <= lastPage; page++) {
        const base = page * pageSize;
        const type = db[base + 25];
        if (type !== P_HASH && type !== P_HASH_UNSORTED)
            continue;
        const entries = Math.min(u16(base + 20), (pageSize - PAGE_HEADER) / 2);
        // Items alternate key, value; each index is an offset into the page, and
        // items are packed from the page end downwards.
        for (let i = 1; i < entries; i += 2) {
            const offset = u16(base + PAGE_HEADER + i * 2);
            const previous = u16(base + PAGE_HEADER + (i - 1) * 2);
            if (offset >= pageSize || previous > pageSize)
                continue;
            const item = base + offset;
            if (db[item] === H_OFFPAGE) {
                try {
                    yield overflow(u32(item + 4), u32(item + 8));
                }
                catch (err) {
                    skip(`page ${page} item ${i}: ${err.message}`);
                }
            }
            else if (db[item] === H_KEYDATA)
                yield db.subarray(item + 1, base + previous);
        }
    }
}

;// CONCATENATED MODULE: ./lib/catalogers/rpm/header.js

const TAG = {
    name: 1000,
    version: 1001,
    release: 1002,
    epoch: 1003,
    vendor: 1011,
    license: 1014,
    arch: 1022,
    sourceRpm: 1044,
    provideName: 1047,
    requireName: 1049,
};
const INT32 = 4;
const STRING = 6;
const STRING_ARRAY = 8;
const I18NSTRING = 9;
const WANTED = new Set(Object.values(TAG));
// Only the tags above are decoded, each at most once, and every count is
// checked against the data it claims (a string needs at least its NUL): a
// header may repeat a tag 65k times or claim 4 billion strings, and rpm
// itself would refuse both.
function parseRpmHeader(blob) {
    if (blob.length < 8)
        throw new Error('rpm header blob too short');
    const il = blob.readUInt32BE(0);
    const dl = blob.readUInt32BE(4);
    if (il > MAX_RPM_HEADER_TAGS || dl > MAX_RPM_HEADER_DATA)
        throw new Error(`rpm header claims ${il} tags and ${dl} data bytes, over rpm's limits (${MAX_RPM_HEADER_TAGS}, ${MAX_RPM_HEADER_DATA})`);
    const dataStart = 8 + il * 16;
    if (dataStart + dl > blob.length)
        throw new Error('rpm header blob is truncated or not a header');
    const data = blob.subarray(dataStart, dataStart + dl);
    const strings = new Map();
    const ints = new Map();
    for (let i = 0; i < il; i++) {
        const at = 8 + i * 16;
        const tag = blob.readUInt32BE(at);
        if (!WANTED.has(tag) || strings.has(tag) || ints.has(tag))
            continue;
        const type = blob.readUInt32BE(at + 4);
        const offset = blob.readUInt32BE(at + 8);
        const count = blob.readUInt32BE(at + 12);
        if (offset >= data.length)
            continue;
        if (type === INT32 && count > 0 && offset + 4 <= data.length)
            ints.set(tag, data.readInt32BE(offset));
        else if (type === STRING || type === STRING_ARRAY || type === I18NSTRING) {
            // I18N strings hold one translation per locale; the first is the default.
            const n = type === STRING ? 1 : count;
            if (n > data.length - offset)
                throw new Error(`rpm header tag ${tag} claims ${n} strings in ${data.length - offset} bytes`);
            const values = [];
            let pos = offset;
            for (let k = 0; k < n; k++) {
                const end = data.indexOf(0, pos);
                if (end === -1)
                    throw new Error(`rpm header tag ${tag}: string ${k} is not terminated`);
                values.push(data.toString('utf8', pos, end));
                pos = end + 1;
            }
            strings.set(tag, values);
        }
    }
    const str = (tag) => strings.get(tag)?.[0];
    const name = str(TAG.name);
    const version = str(TAG.version);
    const release = str(TAG.release);
    if (!name || version === undefined || release === undefined)
        throw new Error('rpm header without name, version or release');
    return {
        name,
        version,
        release,
        epoch: ints.get(TAG.epoch),
        arch: str(TAG.arch),
        license: str(TAG.license),
        sourceRpm: str(TAG.sourceRpm),
        vendor: str(TAG.vendor),
        requires: strings.get(TAG.requireName) ?? [],
        provides: strings.get(TAG.provideName) ?? [],
    };
}

;// CONCATENATED MODULE: ./lib/catalogers/rpm/ndb.js
// rpm's ndb backend (Packages.db, SUSE): a 32-byte header ("RpmP"), slot pages
// of 16-byte slots ("Slot", pkgidx, blkoff, blkcnt), and blobs at blkoff*16
// framed by "BlbS" pkgidx timestamp length … adler32 length "BlbE".
// All little-endian.
const PAGE = 4096;
const SLOT = 16;
const BLK = 16;
const BLOB_HEAD = 16;
const HEADER_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"
function isNdb(db) {
    return db.length >= 32 && db.readUInt32LE(0) === HEADER_MAGIC;
}
// Header blobs, one at a time (views into db, no copies). Every blob must lie
// inside the file and no two may overlap, so the blobs together are at most
// the file's size whatever the slots claim.
function* ndbBlobs(db) {
    if (!isNdb(db))
        throw new Error('not an rpm ndb database');
    const slotPages = db.readUInt32LE(12);
    const end = Math.min(slotPages * PAGE, db.length);
    const blobs = [];
    for (let o = 32; o + SLOT <= end; o += SLOT) {
        if (db.readUInt32LE(o) !== SLOT_MAGIC)
            throw new Error(`bad ndb slot at ${o}`);
        const blkoff = db.readUInt32LE(o + 8);
        if (blkoff === 0)
            continue; // free slot
        const at = blkoff * BLK;
        if (at < end || at + BLOB_HEAD > db.length || db.readUInt32LE(at) !== BLOB_MAGIC)
            throw new Error(`bad ndb blob at block ${blkoff}`);
        const length = db.readUInt32LE(at + 12);
        if (at + BLOB_HEAD + length > db.length)
            throw new Error(`ndb blob at block ${blkoff} claims ${length} bytes past the end of the file`);
        blobs.push({ at, length });
    }
    blobs.sort((a, b) => a.at - b.at);
    for (let i = 1; i < blobs.length; i++) {
        const prev = blobs[i - 1];
        if (blobs[i].at < prev.at + BLOB_HEAD + prev.length)
            throw new Error(`ndb blobs at bytes ${prev.at} and ${blobs[i].at} overlap`);
    }
    for (const { at, length } of blobs)
        yield db.subarray(at + BLOB_HEAD, at + BLOB_HEAD + length);
}

;// CONCATENATED MODULE: ./lib/catalogers/rpm/sqlite.js




// rpmdb.sqlite (RHEL 9, Fedora ≥ 33): `Packages(hnum, blob)`, read with sql.js
// (wasm), loaded only when an image has one.
//
// Bundling trap: webpack (ncc) rewrites sql.js's `typeof module` checks to
// `true`, but sql.js sets `module = undefined` inside its loader, so the
// bundled copy crashes. sql.js therefore stays outside the bundle: the
// postbuild script copies sql-wasm.js (as .cjs) and its wasm next to the
// bundle, and a require that webpack cannot see loads them; unbundled, the
// same require finds node_modules.
let sqlJs;
async function loadSqlJs() {
    const here = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url));
    const { createRequire } = process.getBuiltinModule('node:module');
    const require = createRequire(import.meta.url);
    const bundled = (0,external_node_path_.join)(here, 'sql-wasm.cjs');
    const init = ((0,external_node_fs_.existsSync)(bundled) ? require(bundled) : require('sql.js'));
    const wasm = await (0,promises_.readFile)((0,external_node_fs_.existsSync)(bundled) ? (0,external_node_path_.join)(here, 'sql-wasm.wasm') : require.resolve('sql.js/dist/sql-wasm.wasm'));
    return init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
}
function isSqlite(db) {
    return db.length >= 16 && db.toString('latin1', 0, 16) === 'SQLite format 3\0';
}
// Rows one at a time (each blob is copied out of the wasm heap as it is read).
async function sqliteBlobs(db) {
    sqlJs ??= loadSqlJs();
    const SQL = await sqlJs;
    return (function* () {
        const database = new SQL.Database(db);
        try {
            const stmt = database.prepare('SELECT blob FROM Packages');
            try {
                while (stmt.step()) {
                    const [blob] = stmt.get();
                    if (blob instanceof Uint8Array)
                        yield Buffer.from(blob);
                }
            }
            finally {
                stmt.free();
            }
        }
        finally {
            database.close();
        }
    })();
}

;// CONCATENATED MODULE: ./lib/catalogers/rpm.js









// The rpm database in all three backends; the file's magic picks the reader.
const DB = /\/(?:var\/lib|usr\/share|usr\/lib\/sysimage)\/rpm\/(?:Packages|Packages\.db|rpmdb\.sqlite)$/;
// purl namespace: the distro ID, except Red Hat's and openSUSE's vendor names.
function namespace(distro) {
    if (!distro)
        return undefined;
    if (distro.id === 'rhel' || distro.id === 'hummingbird')
        return 'redhat';
    if (distro.id.startsWith('opensuse'))
        return 'opensuse';
    return distro.id;
}
// Header blobs one at a time, so a database is never held twice.
async function headerBlobs(db, skip) {
    if (isSqlite(db))
        return sqliteBlobs(db);
    if (isNdb(db))
        return ndbBlobs(db);
    if (isBdbHash(db))
        return bdbValues(db, skip);
    throw new Error('unrecognised rpm database format');
}
// A few reports per database; then one line counting the rest.
function reporter(warn) {
    let n = 0;
    return {
        skip(why) {
            if (++n <= 10)
                warn?.(`record skipped: ${why}`);
        },
        done() {
            if (n > 10)
                warn?.(`${n - 10} more records skipped`);
        },
    };
}
const rpm = {
    name: 'rpm-db-cataloger',
    match: (path) => DB.test(path),
    async parse(file, ctx) {
        const packages = [];
        const report = reporter(ctx.warn);
        for (const blob of await headerBlobs(file.content, report.skip)) {
            // BerkeleyDB also stores a few bookkeeping records that are not headers.
            if (blob.length < 16)
                continue;
            let h;
            try {
                h = parseRpmHeader(blob);
            }
            catch (err) {
                report.skip(err.message);
                continue;
            }
            if (packages.length >= MAX_COMPONENTS)
                throw new ScanLimitError(`more than ${MAX_COMPONENTS} packages (the SBOM component limit)`);
            // Imported signing keys are pseudo-packages, not software.
            if (h.name === 'gpg-pubkey')
                continue;
            const vr = `${h.version}-${h.release}`;
            packages.push({
                name: h.name,
                version: h.epoch !== undefined ? `${h.epoch}:${vr}` : vr,
                type: 'rpm',
                purl: (0,purl/* purl */.E)('rpm', namespace(ctx.distro), h.name, vr, {
                    arch: h.arch,
                    distro: distroQualifier(ctx.distro),
                    epoch: h.epoch !== undefined ? String(h.epoch) : undefined,
                    upstream: h.sourceRpm,
                }),
                licenses: h.license ? [h.license] : [],
                foundBy: rpm.name,
                path: file.path,
                layer: file.layer,
                requires: h.requires.filter((r) => !r.startsWith('rpmlib(')),
                provides: h.provides,
            });
        }
        report.done();
        return { packages, relationships: [] };
    },
    relate: (packages) => (0,common/* relateByName */.uJ)(packages, (p) => (0,common/* dirname */.pD)(p.path)),
};

;// CONCATENATED MODULE: ./lib/catalogers/ruby.js

// Installed gems' specifications/<name>-<version>.gemspec, as RubyGems writes
// them: `s.name = "rake".freeze`, `s.licenses = ["MIT".freeze]`.
const GEMSPEC = /\/specifications\/.+\.gemspec$/;
function stringsIn(text) {
    return [...text.matchAll(/["']([^"']*)["']/g)].map((m) => m[1]);
}
function assigned(spec, field) {
    return new RegExp(`^\\s*\\w+\\.${field}\\s*=\\s*(.+)$`, 'm').exec(spec)?.[1];
}
const ruby = {
    name: 'ruby-installed-gemspec-cataloger',
    match: (path) => GEMSPEC.test(path),
    parse(file) {
        const spec = file.content.toString('utf8');
        const name = stringsIn(assigned(spec, 'name') ?? '')[0];
        // `s.version = "1.2.3"` or `Gem::Version.new("1.2.3")`
        const version = stringsIn(assigned(spec, 'version') ?? '')[0];
        if (!name || !version)
            return { packages: [], relationships: [] };
        const licenses = stringsIn(assigned(spec, 'licenses') ?? assigned(spec, 'license') ?? '');
        return {
            packages: [{ name, version, type: 'gem', purl: (0,purl/* purl */.E)('gem', undefined, name, version), licenses, foundBy: ruby.name, path: file.path, layer: file.layer }],
            relationships: [],
        };
    },
};

;// CONCATENATED MODULE: ./lib/catalogers/rust.js





// cargo-auditable stores the dependency tree as zlib-compressed JSON in an ELF
// section named .dep-v0. Section headers sit at the end of the file and the
// section before them, so the executable is held (as the zlib chunks it
// arrived in, not copied) until its end, then only the section is kept.
const MAX_ELF = 64 * 1024 * 1024;
function depSection(file) {
    if (file.length < 64)
        return undefined;
    const ident = file.read(0, 6);
    if (ident.readUInt32BE(0) !== 0x7f454c46)
        return undefined; // \x7fELF
    const is64 = ident[4] === 2;
    const le = ident[5] === 1;
    const hdr = file.read(0, is64 ? 64 : 52);
    const u16 = (b, o) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b, o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const uw = (b, o) => (is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o));
    const shoff = uw(hdr, is64 ? 0x28 : 0x20);
    const shentsize = u16(hdr, is64 ? 0x3a : 0x2e);
    const shnum = u16(hdr, is64 ? 0x3c : 0x30);
    const shstrndx = u16(hdr, is64 ? 0x3e : 0x32);
    if (!shoff || !shnum || shstrndx >= shnum || shoff + shnum * shentsize > file.length)
        return undefined;
    const table = file.read(shoff, shnum * shentsize);
    const section = (i) => {
        const o = i * shentsize;
        return { name: u32(table, o), offset: uw(table, o + (is64 ? 0x18 : 0x10)), size: uw(table, o + (is64 ? 0x20 : 0x14)) };
    };
    const names = section(shstrndx);
    if (names.offset + names.size > file.length)
        return undefined;
    const strtab = file.read(names.offset, names.size);
    for (let i = 0; i < shnum; i++) {
        const s = section(i);
        const end = strtab.indexOf(0, s.name);
        if (strtab.toString('latin1', s.name, end) === '.dep-v0' && s.offset + s.size <= file.length)
            return file.read(s.offset, s.size);
    }
    return undefined;
}
function auditableSink() {
    const chunks = new Chunks();
    let rejected = false;
    return {
        push(chunk) {
            if (rejected)
                return;
            // Not ELF (a script, a zip) or too big: stop holding it.
            if (chunks.length === 0 && chunk.length >= 4 && chunk.readUInt32BE(0) !== 0x7f454c46)
                rejected = true;
            else if (chunks.length + chunk.length > MAX_ELF)
                rejected = true;
            else
                chunks.push(chunk);
        },
        end: () => (rejected ? undefined : depSection(chunks)),
    };
}
const rust = {
    name: 'cargo-auditable-binary-cataloger',
    match: isExecutable,
    sink: () => auditableSink(),
    parse(file) {
        let text;
        try {
            text = (0,external_node_zlib_.inflateSync)(file.content, { maxOutputLength: MAX_AUDIT_JSON }).toString('utf8');
        }
        catch (err) {
            if (err.code === 'ERR_BUFFER_TOO_LARGE')
                throw new Error(`cargo-auditable data inflates past the ${MAX_AUDIT_JSON}-byte limit`, { cause: err });
            throw err;
        }
        const json = JSON.parse(text);
        const entries = Array.isArray(json.packages) ? json.packages : [];
        if (entries.length > MAX_COMPONENTS)
            throw new ScanLimitError(`more than ${MAX_COMPONENTS} packages (the SBOM component limit)`);
        const packages = entries.map((p) => typeof p.name === 'string' && typeof p.version === 'string'
            ? {
                name: p.name,
                version: p.version,
                type: 'rust-crate',
                purl: (0,purl/* purl */.E)('cargo', undefined, p.name, p.version),
                licenses: [],
                foundBy: rust.name,
                path: file.path,
                layer: file.layer,
            }
            : undefined);
        // "dependencies" are indices into the same packages array.
        const relationships = [];
        entries.forEach((p, i) => {
            const from = packages[i];
            if (!from || !Array.isArray(p.dependencies))
                return;
            for (const d of p.dependencies) {
                const to = typeof d === 'number' ? packages[d] : undefined;
                if (to)
                    relationships.push({ from, to });
            }
        });
        return { packages: packages.filter((p) => !!p), relationships };
    },
};

;// CONCATENATED MODULE: ./lib/catalogers/index.js













// Every cataloger that runs on images (installed-state evidence only, as syft
// does for images: no lock files), in output order. dpkgCopyright finds no
// packages: it carries licenses to dpkg's (see mergeCopyrightLicenses).
const catalogers = [dpkg, dpkgCopyright, apk, rpm, npm, python, go, rust, java, ruby, php, dotnet, classifiers];
// What catalogers found, settled across catalogers: copyright licenses given
// to dpkg packages, programs an OS package owns dropped; no carrier left.
function settlePackages(packages) {
    return dropOwnedBinaries(mergeCopyrightLicenses(packages));
}

;// CONCATENATED MODULE: ./lib/catalogers/types.js

// How many components a cataloger's packages become (carriers are not).
const componentCount = (packages) => packages.reduce((n, p) => n + (p.carrier ? 0 : 1), 0);
const emptyResult = () => ({ packages: [], relationships: [] });

// EXTERNAL MODULE: external "node:v8"
var external_node_v8_ = __webpack_require__(78877);
// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
;// CONCATENATED MODULE: ./lib/image/tar.js

class TarError extends Error {
}
const BLOCK = 512;
const MAX_SPECIAL = 1 << 20; // Go's maxSpecialFileSize: pax, long-name and sparse-map bodies
const MAX_SPARSE_ENTRIES = 1 << 20;
const INT64_MAX = (1n << 63n) - 1n;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
const ZEROS = Buffer.alloc(1 << 20);
const ERR_HEADER = 'archive/tar: invalid tar header';
const ERR_EOF = 'unexpected EOF';
const ERR_TOO_LONG = 'archive/tar: header field too long';
const ERR_SPARSE_TOO_LONG = 'archive/tar: sparse map too long';
const ERR_MISS_DATA = 'archive/tar: sparse file references non-existent data';
const ERR_UNREF_DATA = 'archive/tar: sparse file contains unreferenced data';
const fail = (message) => {
    throw new TarError(message);
};
const T = (c) => c.charCodeAt(0);
const REG = T('0');
const REG_A = 0;
const LINK = T('1');
const SYMLINK = T('2');
const DIR = T('5');
const CONT = T('7');
const PAX = T('x');
const PAX_GLOBAL = T('g');
const GNU_SPARSE = T('S');
const GNU_LONGNAME = T('L');
const GNU_LONGLINK = T('K');
function isHeaderOnly(flag) {
    return flag >= LINK && flag <= T('6') && flag !== CONT; // '1' link .. '6' FIFO
}
// ---- byte-level parsing, as Go's strconv.go/format.go ----
function cstr(buf, start = 0, len = buf.length - start) {
    const field = buf.subarray(start, start + len);
    const nul = field.indexOf(0);
    return nul === -1 ? field : field.subarray(0, nul);
}
// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range.
function parseInt64(s) {
    if (!/^[+-]?[0-9]+$/.test(s))
        return undefined;
    const v = BigInt(s);
    return v > INT64_MAX || v < -INT64_MAX - 1n ? undefined : v;
}
class Fields {
    bad = false;
    octal(b, from = 0, to = b.length) {
        let s = from;
        let e = to;
        while (s < e && (b[s] === 0x20 || b[s] === 0))
            s++;
        while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0))
            e--;
        if (s === e)
            return 0n;
        // Fast path (every real header): up to 17 octal digits before any NUL fit
        // a double exactly, so no string, regex or BigInt parse per field.
        let end = s;
        while (end < e && b[end] !== 0)
            end++;
        if (end - s <= 17) {
            let n = 0;
            for (let i = s; i < end; i++) {
                const c = b[i] - 0x30;
                if (c < 0 || c > 7) {
                    this.bad = true;
                    return 0n;
                }
                n = n * 8 + c;
            }
            return BigInt(n);
        }
        const text = cstr(b, s, e - s).toString('latin1');
        if (!/^[0-7]+$/.test(text) || text.replace(/^0+/, '').length > 22 || BigInt('0o' + text) > (1n << 64n) - 1n) {
            this.bad = true;
            return 0n;
        }
        return BigInt.asIntN(64, BigInt('0o' + text));
    }
    // Octal, or GNU base-256 (two's complement) when the top bit is set.
    numeric(b, from = 0, to = b.length) {
        if (to === from || !(b[from] & 0x80))
            return this.octal(b, from, to);
        const inv = b[from] & 0x40 ? 0xff : 0;
        let x = 0n;
        for (let i = from; i < to; i++) {
            let c = b[i] ^ inv;
            if (i === from)
                c &= 0x7f;
            if (x >> 56n > 0n) {
                this.bad = true;
                return 0n;
            }
            x = (x << 8n) | BigInt(c);
        }
        if (x >> 63n > 0n) {
            this.bad = true;
            return 0n;
        }
        return inv ? -x - 1n : x;
    }
}
var Format;
(function (Format) {
    Format[Format["V7"] = 0] = "V7";
    Format[Format["USTAR"] = 1] = "USTAR";
    Format[Format["STAR"] = 2] = "STAR";
    Format[Format["GNU"] = 3] = "GNU";
})(Format || (Format = {}));
function headerFormat(blk) {
    const f = new Fields();
    const stored = f.octal(blk, 148, 156);
    let unsigned = 0;
    let signed = 0;
    for (let i = 0; i < BLOCK; i++) {
        const c = i >= 148 && i < 156 ? 0x20 : blk[i];
        unsigned += c;
        signed += c < 0x80 ? c : c - 0x100;
    }
    if (f.bad || (stored !== BigInt(unsigned) && stored !== BigInt(signed)))
        return undefined;
    const magic = blk.toString('latin1', 257, 263);
    if (magic === 'ustar\0')
        return blk.toString('latin1', 508, 512) === 'tar\0' ? Format.STAR : Format.USTAR;
    if (magic === 'ustar ' && blk[263] === 0x20 && blk[264] === 0)
        return Format.GNU;
    return Format.V7;
}
function parseHeader(blk) {
    const format = headerFormat(blk);
    if (format === undefined)
        fail(ERR_HEADER);
    const f = new Fields();
    const hdr = {
        flag: blk[156],
        name: cstr(blk, 0, 100),
        linkname: cstr(blk, 157, 100),
        size: f.numeric(blk, 124, 136),
        mode: f.numeric(blk, 100, 108),
    };
    f.numeric(blk, 108, 116); // uid
    f.numeric(blk, 116, 124); // gid
    f.numeric(blk, 136, 148); // mtime
    if (format !== Format.V7) {
        f.numeric(blk, 329, 337); // devmajor
        f.numeric(blk, 337, 345); // devminor
        let prefix = Buffer.alloc(0);
        if (format === Format.USTAR)
            prefix = cstr(blk, 345, 155);
        else if (format === Format.STAR) {
            prefix = cstr(blk, 345, 131);
            f.numeric(blk, 476, 488);
            f.numeric(blk, 488, 500);
        }
        else {
            // GNU atime/ctime; when they do not parse, old Go writers put a ustar prefix there.
            const times = new Fields();
            if (blk[345] !== 0)
                times.numeric(blk, 345, 357);
            if (blk[357] !== 0)
                times.numeric(blk, 357, 369);
            if (times.bad) {
                const s = cstr(blk, 345, 155);
                if (s.every((c) => c < 0x80))
                    prefix = s;
            }
        }
        if (prefix.length > 0)
            hdr.name = Buffer.concat([prefix, Buffer.from('/'), hdr.name]);
    }
    if (f.bad)
        fail(ERR_HEADER);
    return hdr;
}
// One pax record "<len> <key>=<value>\n", on a latin1 (byte) string.
function parsePaxRecord(s) {
    const sp = s.indexOf(' ');
    if (sp === -1)
        fail(ERR_HEADER);
    const n = parseInt64(s.slice(0, sp));
    if (n === undefined || n < 5n || n > BigInt(s.length))
        fail(ERR_HEADER);
    const rest = s.slice(sp + 1);
    const m = Number(n) - (sp + 1);
    if (m <= 0)
        fail(ERR_HEADER);
    if (rest[m - 1] !== '\n')
        fail(ERR_HEADER);
    const rec = rest.slice(0, m - 1);
    const eq = rec.indexOf('=');
    if (eq === -1)
        fail(ERR_HEADER);
    const k = rec.slice(0, eq);
    const v = rec.slice(eq + 1);
    if (k === '')
        fail(ERR_HEADER);
    const nulIn = ['path', 'linkpath', 'uname', 'gname'].includes(k) ? v : k;
    if (nulIn.includes('\0'))
        fail(ERR_HEADER);
    return [k, v, rest.slice(m)];
}
function parsePax(body) {
    let s = body.toString('latin1');
    const records = new Map();
    const sparseMap = []; // pax sparse 0.0 offset/numbytes pairs, joined into 0.1's map
    while (s.length > 0) {
        const [k, v, rest] = parsePaxRecord(s);
        s = rest;
        if (k === 'GNU.sparse.offset' || k === 'GNU.sparse.numbytes') {
            const want = sparseMap.length % 2 === 0 ? 'GNU.sparse.offset' : 'GNU.sparse.numbytes';
            if (k !== want || v.includes(','))
                fail(ERR_HEADER);
            sparseMap.push(v);
        }
        else
            records.set(k, v);
    }
    if (sparseMap.length > 0)
        records.set('GNU.sparse.map', sparseMap.join(','));
    return records;
}
function validPaxTime(v) {
    const dot = v.indexOf('.');
    const secs = dot === -1 ? v : v.slice(0, dot);
    return parseInt64(secs) !== undefined && (dot === -1 || /^[0-9]*$/.test(v.slice(dot + 1)));
}
// Go's mergePAX: returns false where Go returns ErrHeader.
function mergePax(hdr, pax) {
    for (const [k, v] of pax) {
        if (v === '')
            continue;
        switch (k) {
            case 'path':
                hdr.name = Buffer.from(v, 'latin1');
                break;
            case 'linkpath':
                hdr.linkname = Buffer.from(v, 'latin1');
                break;
            case 'uid':
            case 'gid':
                if (parseInt64(v) === undefined)
                    return false;
                break;
            case 'atime':
            case 'mtime':
            case 'ctime':
                if (!validPaxTime(v))
                    return false;
                break;
            case 'size': {
                const size = parseInt64(v);
                if (size === undefined)
                    return false;
                hdr.size = size;
                break;
            }
        }
    }
    hdr.pax = pax;
    return true;
}
// Names are bytes in tar; UTF-8 decodes as usual, any other byte b becomes
// U+DC00+b (never produced by valid UTF-8), so distinct names stay distinct.
function decodeName(b) {
    if ((0,external_node_buffer_.isUtf8)(b))
        return b.toString('utf8');
    let out = '';
    for (let i = 0; i < b.length;) {
        const c = b[i];
        const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (n > 0 && i + n <= b.length && (0,external_node_buffer_.isUtf8)(b.subarray(i, i + n))) {
            out += b.toString('utf8', i, i + n);
            i += n;
        }
        else {
            out += String.fromCharCode(0xdc00 + c);
            i++;
        }
    }
    return out;
}
// The inverse of decodeName (for tests that compare raw bytes).
function encodeName(s) {
    const parts = [];
    let run = '';
    for (const ch of s) {
        const cp = ch.codePointAt(0);
        if (cp >= 0xdc80 && cp <= 0xdcff) {
            parts.push(Buffer.from(run, 'utf8'), Buffer.from([cp - 0xdc00]));
            run = '';
        }
        else
            run += ch;
    }
    parts.push(Buffer.from(run, 'utf8'));
    return Buffer.concat(parts);
}
function pushFragment(list, offset, length) {
    if (list.length >= MAX_SPARSE_ENTRIES)
        fail(ERR_SPARSE_TOO_LONG);
    list.push({ offset, length });
}
function validFragments(list, size) {
    if (size < 0n)
        return false;
    let preEnd = 0n;
    for (const { offset, length } of list) {
        if (offset < 0n || length < 0n || offset > INT64_MAX - length || offset + length > size || preEnd > offset)
            return false;
        preEnd = offset + length;
    }
    return true;
}
// Data fragments → holes, always ending with the (possibly empty) hole up to size.
function holesOf(data, size) {
    const holes = [];
    let pre = 0n;
    for (const { offset, length } of data) {
        if (length === 0n)
            continue;
        if (offset - pre > 0n)
            holes.push({ offset: pre, length: offset - pre });
        pre = offset + length;
    }
    holes.push({ offset: pre, length: size - pre });
    return holes;
}
function sparse0x1(pax) {
    const n = parseInt64(pax.get('GNU.sparse.numblocks') ?? '');
    if (n === undefined || n < 0n || n >= 1n << 62n)
        fail(ERR_HEADER);
    const text = pax.get('GNU.sparse.map') ?? '';
    const fields = text === '' ? [] : text.split(',');
    if (BigInt(fields.length) !== 2n * n)
        fail(ERR_HEADER);
    const list = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
        const offset = parseInt64(fields[i]);
        const length = parseInt64(fields[i + 1]);
        if (offset === undefined || length === undefined)
            fail(ERR_HEADER);
        pushFragment(list, offset, length);
    }
    return list;
}
// ---- the byte source ----
class Source {
    it;
    buf = Buffer.alloc(0);
    pos = 0;
    done = false;
    constructor(it) {
        this.it = it;
    }
    // Stops the stream after an error.
    async close() {
        if (!this.done)
            await this.it.return?.();
    }
    async more() {
        while (!this.done) {
            const r = await this.it.next();
            if (r.done)
                this.done = true;
            else if (r.value.length > 0) {
                this.buf = r.value;
                this.pos = 0;
                return true;
            }
        }
        return false;
    }
    // Up to n bytes; fewer only at the end of the stream.
    async read(n) {
        if (this.buf.length - this.pos >= n) {
            this.pos += n;
            return this.buf.subarray(this.pos - n, this.pos);
        }
        const out = Buffer.allocUnsafe(n);
        let fill = 0;
        while (fill < n && (this.pos < this.buf.length || (await this.more()))) {
            const take = Math.min(n - fill, this.buf.length - this.pos);
            this.buf.copy(out, fill, this.pos, this.pos + take);
            fill += take;
            this.pos += take;
        }
        return out.subarray(0, fill);
    }
    // Passes the next n bytes to fn (when given) without copying; returns how many there were.
    async pass(n, fn) {
        let left = n;
        while (left > 0 && (this.pos < this.buf.length || (await this.more()))) {
            const take = Math.min(left, this.buf.length - this.pos);
            fn?.(this.buf.subarray(this.pos, this.pos + take));
            this.pos += take;
            left -= take;
        }
        return n - left;
    }
    // Reads what is left, so the layer's byte count and digest checks see the whole stream.
    async drain() {
        this.pos = this.buf.length;
        while (await this.more())
            this.pos = this.buf.length;
    }
}
class Reader {
    src;
    pad = 0;
    constructor(src) {
        this.src = src;
    }
    async readBlock() {
        const b = await this.src.read(BLOCK);
        if (b.length === 0)
            return undefined;
        if (b.length < BLOCK)
            fail(ERR_EOF);
        return b;
    }
    // Go's readHeader: undefined at the end of the archive.
    async readHeader() {
        const b = await this.readBlock();
        if (!b || !b.equals(ZERO_BLOCK))
            return b;
        const c = await this.readBlock();
        if (!c || c.equals(ZERO_BLOCK))
            return undefined;
        return fail(ERR_HEADER);
    }
    dataSize(flag, size) {
        const nb = isHeaderOnly(flag) ? 0n : size;
        if (nb < 0n)
            fail(ERR_HEADER);
        // No archive holds 2^53 bytes: past that the stream ends first, as it would for Go.
        const n = nb > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(nb);
        this.pad = (BLOCK - (n % BLOCK)) % BLOCK;
        return n;
    }
    async special(nb) {
        if (nb > MAX_SPECIAL)
            fail(ERR_TOO_LONG);
        const body = await this.src.read(nb);
        if (body.length < nb)
            fail(ERR_EOF);
        return body;
    }
    // Go's Reader.next: undefined at the end of the archive.
    async next() {
        let pax;
        let longName;
        let longLink;
        for (;;) {
            if (this.pad > 0 && (await this.src.pass(this.pad)) < this.pad)
                return undefined; // Go: short padding is a clean end
            this.pad = 0;
            const blk = await this.readHeader();
            if (!blk)
                return undefined;
            const hdr = parseHeader(blk);
            let physical = this.dataSize(hdr.flag, hdr.size);
            if (hdr.flag === PAX || hdr.flag === PAX_GLOBAL) {
                pax = parsePax(await this.special(physical));
                if (hdr.flag === PAX_GLOBAL) {
                    // Go returns it as an entry with no data and ignores merge errors;
                    // its path then depends on Go's map order, so take it only when all merge.
                    const merged = { ...hdr };
                    if (mergePax(merged, pax))
                        hdr.name = merged.name;
                    return { entry: this.entry(hdr.name, Buffer.alloc(0), PAX_GLOBAL, 0n, hdr.mode), physical: 0 };
                }
                continue;
            }
            if (hdr.flag === GNU_LONGNAME || hdr.flag === GNU_LONGLINK) {
                const value = cstr(await this.special(physical));
                if (hdr.flag === GNU_LONGNAME)
                    longName = value;
                else
                    longLink = value;
                continue;
            }
            if (pax && !mergePax(hdr, pax))
                fail(ERR_HEADER);
            if (longName?.length)
                hdr.name = longName;
            if (longLink?.length)
                hdr.linkname = longLink;
            if (hdr.flag === REG_A)
                hdr.flag = hdr.name[hdr.name.length - 1] === 0x2f ? DIR : REG;
            physical = this.dataSize(hdr.flag, hdr.size);
            let data;
            if (hdr.flag === GNU_SPARSE)
                data = await this.oldGnuSparse(hdr, blk);
            else if (hdr.pax) {
                const sparse = await this.paxSparse(hdr, physical);
                if (sparse)
                    [data, physical] = sparse;
            }
            let holes;
            if (data) {
                if (isHeaderOnly(hdr.flag) || !validFragments(data, hdr.size))
                    fail(ERR_HEADER);
                holes = holesOf(data, hdr.size);
            }
            return { entry: this.entry(hdr.name, hdr.linkname, hdr.flag, hdr.size, hdr.mode), physical, holes };
        }
    }
    entry(name, linkname, flag, size, mode) {
        const content = isHeaderOnly(flag) || flag === PAX_GLOBAL ? 0 : Number(size);
        return {
            path: decodeName(name),
            type: entryType(flag),
            size: content,
            mode: Number(BigInt.asUintN(32, mode)),
            linkname: decodeName(linkname),
            flag,
            headerSize: size,
        };
    }
    async oldGnuSparse(hdr, blk) {
        if (headerFormat(blk) !== Format.GNU)
            fail(ERR_HEADER);
        const f = new Fields();
        hdr.size = f.numeric(blk, 483, 495);
        if (f.bad)
            fail(ERR_HEADER);
        const list = [];
        let s = blk.subarray(386, 386 + 24 * 4 + 1);
        let total = s.length;
        while (total < MAX_SPECIAL) {
            const max = Math.floor(s.length / 24);
            for (let i = 0; i < max; i++) {
                if (s[i * 24] === 0)
                    break; // GNU and BSD tar stop at an empty offset
                const offset = f.numeric(s.subarray(i * 24, i * 24 + 12));
                const length = f.numeric(s.subarray(i * 24 + 12, i * 24 + 24));
                if (f.bad)
                    fail(ERR_HEADER);
                pushFragment(list, offset, length);
            }
            if (s[24 * max] === 0)
                return list;
            // Extension blocks follow the header, before the data.
            const ext = await this.src.read(BLOCK);
            if (ext.length < BLOCK)
                fail(ERR_EOF);
            s = ext;
            total += ext.length;
        }
        return fail(ERR_SPARSE_TOO_LONG);
    }
    // Pax sparse formats; returns the data fragments and the data bytes left after a 1.0 map.
    async paxSparse(hdr, physical) {
        const pax = hdr.pax;
        const major = pax.get('GNU.sparse.major') ?? '';
        const minor = pax.get('GNU.sparse.minor') ?? '';
        let v1 = false;
        if (major === '0' && (minor === '0' || minor === '1'))
            v1 = false;
        else if (major === '1' && minor === '0')
            v1 = true;
        else if (major !== '' || minor !== '')
            return undefined; // unknown version: a plain file
        else if (!pax.get('GNU.sparse.map'))
            return undefined;
        const name = pax.get('GNU.sparse.name');
        if (name)
            hdr.name = Buffer.from(name, 'latin1');
        const size = pax.get('GNU.sparse.size') || pax.get('GNU.sparse.realsize');
        if (size) {
            const n = parseInt64(size);
            if (n === undefined)
                fail(ERR_HEADER);
            hdr.size = n;
        }
        if (!v1)
            return [sparse0x1(pax), physical];
        // 1.0: the map is newline-separated decimals at the start of the data, in whole blocks.
        const tokens = [];
        let partial = [];
        let read = 0;
        const feed = async (count) => {
            while (BigInt(tokens.length) < count) {
                read += BLOCK;
                if (read > MAX_SPECIAL)
                    fail(ERR_SPARSE_TOO_LONG);
                if (physical < BLOCK)
                    fail(ERR_EOF);
                const b = await this.src.read(BLOCK);
                if (b.length < BLOCK)
                    fail(ERR_EOF);
                physical -= BLOCK;
                const parts = b.toString('latin1').split('\n');
                if (parts.length === 1) {
                    partial.push(parts[0]); // no newline: a token still growing
                    continue;
                }
                tokens.push(partial.join('') + parts[0]);
                for (let i = 1; i < parts.length - 1; i++)
                    tokens.push(parts[i]);
                partial = [parts.at(-1)];
            }
        };
        let at = 0;
        await feed(1n);
        const n = parseInt64(tokens[at++]);
        if (n === undefined || n < 0n || n >= 1n << 62n)
            fail(ERR_HEADER);
        await feed(1n + 2n * n);
        const list = [];
        for (let i = 0n; i < n; i++) {
            const offset = parseInt64(tokens[at++]);
            const length = parseInt64(tokens[at++]);
            if (offset === undefined || length === undefined)
                fail(ERR_HEADER);
            pushFragment(list, offset, length);
        }
        return [list, physical];
    }
    // Streams one entry's content (holes as zeros) to sink; checks it as Go's
    // reader does when the content is read.
    async content(next, sink) {
        let wanted = sink !== undefined;
        const push = (chunk) => {
            if (wanted && sink.push(chunk) === false)
                wanted = false;
        };
        const { holes } = next;
        let physical = next.physical;
        if (!holes) {
            if ((await this.src.pass(physical, sink && push)) < physical)
                fail(ERR_EOF);
        }
        else {
            let pos = 0n;
            for (const hole of holes) {
                const dataLen = hole.offset - pos;
                if (dataLen > 0n) {
                    const take = dataLen > BigInt(physical) ? physical : Number(dataLen);
                    if ((await this.src.pass(take, sink && push)) < take)
                        fail(ERR_EOF);
                    physical -= take;
                    if (BigInt(take) < dataLen)
                        fail(ERR_MISS_DATA);
                }
                for (let z = hole.length; z > 0n && wanted;) {
                    const n = z > BigInt(ZEROS.length) ? ZEROS.length : Number(z);
                    push(ZEROS.subarray(0, n));
                    z -= BigInt(n);
                }
                pos = hole.offset + hole.length;
            }
            if (physical > 0)
                fail(ERR_UNREF_DATA);
        }
        sink?.end(); // the padding after the data was set when the header was read
    }
    drain() {
        return this.src.drain();
    }
    close() {
        return this.src.close();
    }
}
function entryType(flag) {
    switch (flag) {
        case REG:
        case CONT:
            return 'file';
        case LINK:
            return 'hardlink';
        case SYMLINK:
            return 'symlink';
        case DIR:
            return 'dir';
        default:
            return 'other'; // devices, FIFOs, global pax headers, old GNU sparse ('S', which runtimes refuse), unknown
    }
}
// Reads a whole tar stream, calling onEntry for each entry Go's Reader.Next
// would return; resolves to the number of entries, or throws TarError.
async function readTar(chunks, onEntry) {
    const reader = new Reader(new Source(chunks[Symbol.asyncIterator]()));
    let entries = 0;
    try {
        for (let next = await reader.next(); next; next = await reader.next()) {
            entries++;
            await reader.content(next, onEntry(next.entry));
        }
        await reader.drain();
    }
    catch (err) {
        await reader.close().catch(() => { });
        throw err;
    }
    return entries;
}

;// CONCATENATED MODULE: ./lib/image/filesystem.js



// Files above this are not buffered by the default sink (package databases and
// manifests are far smaller); catalogers that need big files bring their own sink.
const MAX_CAPTURE = 64 * 1024 * 1024;
const MAX_LINK_HOPS = 40;
// Most tar names are already clean ("usr/bin/x", "./usr/bin/x", "dir/"):
// those skip the split and join (one per entry of every layer).
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)|^\.\.?(?:\/|$)|\/$|^\//;
function normalizePath(raw) {
    let fast = raw.startsWith('./') ? raw.slice(2) : raw;
    if (fast.endsWith('/'))
        fast = fast.slice(0, -1);
    if (fast.startsWith('/'))
        fast = fast.slice(1);
    if (fast !== '' && !UNCLEAN.test(fast))
        return '/' + fast;
    const parts = [];
    for (const part of raw.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..')
            parts.pop();
        else
            parts.push(part);
    }
    return '/' + parts.join('/');
}
function isWhiteout(path) {
    return path.startsWith('.wh.', path.lastIndexOf('/') + 1);
}
function parentOf(path) {
    const i = path.lastIndexOf('/');
    return i <= 0 ? '/' : path.slice(0, i);
}
function collect(limit) {
    const parts = [];
    let size = 0;
    return {
        push(chunk) {
            size += chunk.length;
            if (size <= limit)
                parts.push(chunk);
        },
        // concat copies, so no 256 KiB zlib chunk stays alive for a 2 KiB file
        end: () => (size <= limit ? Buffer.concat(parts, size) : undefined),
    };
}
const newNode = (min) => ({ min });
const child = (dir, name) => (dir === '/' ? `/${name}` : `${dir}/${name}`);
class LayeredFs {
    wants;
    scan;
    captures = new Map();
    symlinks = new Map();
    tree = newNode(Infinity);
    keptBytes = 0;
    linkChanges = 0;
    lastParent;
    warnings = [];
    constructor(wants, scan) {
        this.wants = wants;
        this.scan = scan;
    }
    // Applies one layer tar in a single pass; returns the captures it added that
    // are still present. The scan reads layers through layer-walk.ts instead;
    // this is the plain reference its reading ahead must equal (the tests use it).
    async applyLayer(layerIndex, layer, chunks) {
        const added = new Set();
        const entries = await readTar(chunks, (entry) => this.applyEntry(entry, layerIndex, layer, added));
        return { entries, added: [...added].filter((c) => this.isLive(c)) };
    }
    // Whether a capture is still in the filesystem (not replaced or removed since).
    isLive(capture) {
        return this.captures.get(capture.path) === capture;
    }
    live() {
        return this.captures.values();
    }
    // Follows symlinks in every component (and the last one when asked).
    resolve(path, followLast = true) {
        let pending = path.split('/').filter((p) => p !== '' && p !== '.');
        const out = [];
        let hops = 0;
        while (pending.length > 0) {
            const part = pending.shift();
            if (part === '..') {
                out.pop();
                continue;
            }
            const candidate = '/' + (out.length ? out.join('/') + '/' : '') + part;
            const link = this.symlinks.get(candidate);
            if (link && (pending.length > 0 || followLast) && hops++ < MAX_LINK_HOPS) {
                if (link.target.startsWith('/'))
                    out.length = 0;
                pending = [...link.target.split('/').filter((p) => p !== '' && p !== '.'), ...pending];
                continue;
            }
            out.push(part);
        }
        return '/' + out.join('/');
    }
    read(path, want) {
        return this.captures.get(this.resolve(path))?.contents.get(want);
    }
    // Which wants a file at path matches (none: undefined, no array made).
    wantsAt(path, entry) {
        let wanted;
        for (const w of this.wants)
            if (w.match(path, entry))
                (wanted ??= []).push(w);
        return wanted;
    }
    // For a layer read ahead of its turn: what a file entry would capture if
    // none of its parents turned out to be a symlink. No state is read, so this
    // is safe while a lower layer is still being applied.
    speculate(entry) {
        if (entry.type !== 'file')
            return undefined;
        const path = normalizePath(entry.path);
        if (isWhiteout(path))
            return undefined;
        const wants = this.wantsAt(path, entry);
        return wants && { path, wants };
    }
    // Applies an entry that was read ahead, in its turn. The guess holds when
    // the file lands where it was guessed, when nothing wants it where it
    // lands, or when the same wants match and none has a sink (whose result
    // could depend on the path); otherwise nothing is applied: 'again'.
    replay(entry, layerIndex, layer, ahead, added) {
        const path = this.canonical(entry.path);
        let kept = false;
        if (entry.type === 'file' && !isWhiteout(path)) {
            const wanted = this.wantsAt(path, entry);
            if (wanted && !ahead)
                return 'again';
            if (wanted && ahead && ahead.path !== path) {
                const same = wanted.length === ahead.wants.length && wanted.every((w, i) => w === ahead.wants[i] && !w.sink);
                if (!same)
                    return 'again';
            }
            kept = wanted !== undefined;
        }
        if (this.applyHeader(entry, path, layerIndex, layer, added))
            return 'dropped';
        if (kept && ahead) {
            const problems = ahead.path === path ? ahead.problems : ahead.problems.map((p) => ({ ...p, path }));
            this.keepFile(path, layer, layerIndex, entry, ahead.contents, problems, added);
        }
        return kept ? 'kept' : 'dropped';
    }
    // A runtime extracts each entry below its parent as resolved on the
    // filesystem so far, so `lib/x` lands in usr/lib/x when a lower layer made
    // lib → usr/lib. Only resolve when a parent really is a symlink (cheap check).
    // Entries arrive directory by directory, so the last parent's answer is
    // reused until a symlink is added or removed (every prefix of every path
    // was a string and a map lookup: the largest cost of an entry nobody wants).
    canonical(raw) {
        const path = normalizePath(raw);
        if (this.symlinks.size === 0)
            return path;
        const slash = path.lastIndexOf('/');
        if (slash <= 0)
            return path; // no parent below the root
        const parent = path.slice(0, slash);
        let cached = this.lastParent;
        if (!cached || cached.parent !== parent || cached.links !== this.linkChanges) {
            cached = this.lastParent = { parent, resolved: this.resolvedParent(parent), links: this.linkChanges };
        }
        return cached.resolved === undefined ? path : `${cached.resolved}/${path.slice(slash + 1)}`.replace(/^\/\//, '/');
    }
    // The parent resolved, when it or a directory above it is a symlink.
    resolvedParent(parent) {
        for (let i = parent.indexOf('/', 1);; i = parent.indexOf('/', i + 1)) {
            if (this.symlinks.has(i === -1 ? parent : parent.slice(0, i)))
                return this.resolve(parent);
            if (i === -1)
                return undefined;
        }
    }
    // Every change to the symlinks goes through these two (canonical's cache).
    setLink(path, link) {
        this.symlinks.set(path, link);
        this.linkChanges++;
    }
    deleteLink(path) {
        if (this.symlinks.delete(path))
            this.linkChanges++;
    }
    note(path, layerIndex) {
        let node = this.tree;
        node.min = Math.min(node.min, layerIndex);
        for (const part of path.split('/')) {
            if (part === '')
                continue;
            node.children ??= new Map();
            let next = node.children.get(part);
            if (!next)
                node.children.set(part, (next = newNode(layerIndex)));
            next.min = Math.min(next.min, layerIndex);
            node = next;
        }
    }
    // Walks the canonical path one component at a time and stops at the first
    // one the tree lacks (most paths of a layer: only kept files are in it).
    find(path) {
        let node = this.tree;
        for (let start = 1; node && start <= path.length;) {
            let end = path.indexOf('/', start);
            if (end === -1)
                end = path.length;
            if (end > start) {
                if (!node.children)
                    return undefined;
                node = node.children.get(path.slice(start, end));
            }
            start = end + 1;
        }
        return node;
    }
    // The lowest layer of what is at exactly this path, after dropping what
    // came from below `below` (when drop is set).
    settle(path, below, drop) {
        let min = Infinity;
        const capture = this.captures.get(path);
        if (capture) {
            if (drop && capture.layerIndex < below)
                this.unkeep(path);
            else
                min = capture.layerIndex;
        }
        const link = this.symlinks.get(path);
        if (link) {
            if (drop && link.layerIndex < below)
                this.deleteLink(path);
            else
                min = Math.min(min, link.layerIndex);
        }
        return min;
    }
    // Everything kept is counted, so that a layer naming millions of small
    // wanted files cannot make the scanner hold them all.
    keep(capture) {
        this.unkeep(capture.path);
        const bytes = [...capture.contents.values()].reduce((n, b) => n + b.length, 0);
        if (this.captures.size >= MAX_KEPT_FILES || this.keptBytes + bytes > MAX_KEPT_BYTES) {
            throw new ScanLimitError(`layer ${capture.layer}: at ${capture.path}, more than ${MAX_KEPT_FILES} package files or ${MAX_KEPT_BYTES} bytes of them to keep (the scanner's memory limit)`);
        }
        this.captures.set(capture.path, capture);
        this.keptBytes += bytes;
        this.note(capture.path, capture.layerIndex);
    }
    unkeep(path) {
        const old = this.captures.get(path);
        if (!old)
            return;
        for (const b of old.contents.values())
            this.keptBytes -= b.length;
        this.captures.delete(path);
    }
    // Removes path and everything below it that came from layers below `below`.
    // Iterative (paths can be thousands of components deep); each removed path
    // is visited once, subtrees with nothing from lower layers not at all.
    remove(path, below, self = true) {
        const top = this.find(path);
        if (!top)
            return;
        const stack = [{ node: top, path, expanded: false }];
        while (stack.length > 0) {
            const f = stack[stack.length - 1];
            if (!f.expanded) {
                if (f.node.min >= below) {
                    stack.pop();
                    continue;
                }
                f.expanded = true;
                for (const [name, c] of f.node.children ?? [])
                    if (c.min < below)
                        stack.push({ node: c, path: child(f.path, name), expanded: false });
                continue;
            }
            stack.pop();
            let min = this.settle(f.path, below, f.node !== top || self);
            for (const [name, c] of f.node.children ?? []) {
                if (!c.children?.size && this.settle(child(f.path, name), below, false) === Infinity)
                    f.node.children.delete(name);
                else
                    min = Math.min(min, c.min);
            }
            f.node.min = min;
        }
    }
    // Applies one entry in its layer's turn; returns the sink for a wanted
    // file's content, which is kept when the sink ends.
    applyEntry(entry, layerIndex, layer, added) {
        const path = this.canonical(entry.path);
        if (this.applyHeader(entry, path, layerIndex, layer, added))
            return undefined;
        const wanted = this.wantsAt(path, entry);
        if (!wanted)
            return undefined;
        return this.captureSink(path, layer, entry, wanted, this.scan, (contents, problems) => this.keepFile(path, layer, layerIndex, entry, contents, problems, added));
    }
    // Everything an entry does to the filesystem but capture a file's content;
    // true when that is all it does (it is not a file, or it is a whiteout).
    applyHeader(entry, path, layerIndex, layer, added) {
        if (isWhiteout(path)) {
            const base = path.slice(path.lastIndexOf('/') + 1);
            const dir = parentOf(path);
            // .wh..wh..opq: lower layers' children of dir vanish, dir itself stays.
            if (base === '.wh..wh..opq')
                this.remove(dir, layerIndex, false);
            else
                this.remove(`${dir === '/' ? '' : dir}/${base.slice(4)}`, layerIndex);
            return true;
        }
        if (entry.type === 'dir') {
            // A directory replaces a lower file or symlink at the same path.
            this.unkeep(path);
            this.deleteLink(path);
            return true;
        }
        // A non-directory replaces whatever was at path, including a whole lower
        // directory (explicit or implied by its contents), as runtimes do.
        this.remove(path, layerIndex);
        this.unkeep(path);
        this.deleteLink(path);
        if (entry.type === 'symlink') {
            if (this.symlinks.size >= MAX_SYMLINKS) {
                throw new ScanLimitError(`layer ${layer}: at ${path}, more than ${MAX_SYMLINKS} symbolic links (the scanner's limit; paths through them could not be resolved)`);
            }
            this.setLink(path, { target: entry.linkname, layerIndex });
            this.note(path, layerIndex);
            return true;
        }
        if (entry.type === 'hardlink') {
            this.linkHard(path, normalizePath(entry.linkname), layerIndex, layer, added);
            return true;
        }
        return entry.type !== 'file';
    }
    // The sink for a wanted file: each want's own sink, or a buffer. `done`
    // gets the contents and what could not be read once the file has ended.
    captureSink(path, layer, entry, wanted, scan, done) {
        const info = { size: entry.size, mode: entry.mode };
        const sinks = wanted.map((w) => [w, w.sink ? w.sink(path, info, scan) : collect(MAX_CAPTURE)]);
        // Past the capture limit the default sinks drop bytes: saying so lets the
        // tar reader skip expanding a huge sparse hole for nothing.
        const capped = wanted.every((w) => !w.sink);
        let pushed = 0;
        return {
            push(chunk) {
                for (const [, s] of sinks)
                    s.push(chunk);
                pushed += chunk.length;
                return !capped || pushed <= MAX_CAPTURE;
            },
            end: () => {
                const contents = new Map();
                const problems = [];
                for (const [w, s] of sinks) {
                    const content = s.end();
                    if (content)
                        contents.set(w, content);
                    else if (!w.sink)
                        problems.push({ path, layer, message: `larger than the ${MAX_CAPTURE}-byte limit for a package database or manifest, not read` });
                }
                done(contents, problems);
            },
        };
    }
    keepFile(path, layer, layerIndex, entry, contents, problems, added) {
        this.warnings.push(...problems);
        if (contents.size === 0)
            return;
        const capture = { path, layer, layerIndex, info: { size: entry.size, mode: entry.mode }, contents };
        this.keep(capture);
        added.add(capture);
    }
    // Tar hardlinks name a file already extracted, in this layer or a lower one.
    // Only captured files keep their bytes, so a link is followed only when its
    // target was wanted by the same file wants.
    linkHard(path, target, layerIndex, layer, added) {
        const source = this.captures.get(this.canonical(target));
        const info = source?.info ?? { size: 0, mode: 0 };
        const wanted = this.wants.filter((w) => w.match(path, info));
        if (wanted.length === 0)
            return;
        const contents = new Map();
        for (const w of wanted) {
            const content = source?.contents.get(w);
            if (content)
                contents.set(w, content);
        }
        if (contents.size === 0) {
            this.warnings.push({ path, layer, message: `hardlink to ${target}, whose content was not kept` });
            return;
        }
        const capture = { path, layer, layerIndex, info, contents };
        this.keep(capture);
        added.add(capture);
    }
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
;// CONCATENATED MODULE: ./lib/image/decompress.js



function sniffCompression(head) {
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)
        return 'gzip';
    if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528)
        return 'zstd';
    return 'none';
}
// 256 KiB output chunks: the 16 KiB default halves gunzip throughput.
const CHUNK = 256 * 1024;
async function decompressLayer(raw, label) {
    const source = raw[Symbol.asyncIterator]();
    let first = await source.next();
    while (!first.done && first.value.length < 4) {
        const next = await source.next();
        if (next.done)
            break;
        first = { done: false, value: Buffer.concat([first.value, next.value]) };
    }
    let compressed = 0;
    const head = first.done ? Buffer.alloc(0) : first.value;
    const compression = sniffCompression(head);
    async function* counted() {
        if (head.length > 0) {
            compressed += head.length;
            yield head;
        }
        for (let r = await source.next(); !r.done; r = await source.next()) {
            compressed += r.value.length;
            yield r.value;
        }
    }
    let chunks;
    if (compression === 'none') {
        chunks = counted();
    }
    else {
        let inflate;
        if (compression === 'gzip')
            inflate = external_node_zlib_.createGunzip({ chunkSize: CHUNK });
        else if (typeof external_node_zlib_.createZstdDecompress === 'function')
            inflate = external_node_zlib_.createZstdDecompress({ chunkSize: CHUNK });
        else
            throw new errors/* ActionError */.l('SBOM', `layer ${label} is zstd-compressed, which needs Node 24 or later: run the action on node24`);
        // Readable.from + pipe keeps backpressure; errors from either side end the iteration.
        const input = external_node_stream_.Readable.from(counted());
        input.on('error', (err) => inflate.destroy(err));
        chunks = input.pipe(inflate);
    }
    return { compression, chunks, compressedBytes: () => compressed };
}

;// CONCATENATED MODULE: ./lib/image/layer-walk.js


// One layer's tar, read and parsed either in its turn (each entry applied to
// the filesystem as it comes) or ahead of it, while the layer below is still
// being applied. Layers must apply in order (whiteouts, symlinks), but
// inflating and parsing need not: two layers in flight keep both cores busy.
//
// Ahead of its turn, an entry is held until the layers below are applied,
// with the content of the files it would capture if none of its parents were
// symlinks (most layers name paths as they land). In its turn each held entry
// is replayed in order; a guess that does not hold there (a parent turned out
// to be a symlink, so other wants match, or a want's sink failed) ends what
// this read applies, and the layer is read again from that entry, in turn,
// exactly.
//
// What is held ahead is bounded: past AHEAD_BYTES (entries, their paths, and
// the bytes pushed into their sinks) the read waits for its turn, and so does
// the transfer below it. Files whose wants draw on shared state (`ordered`)
// wait for the turn too: only the rest of the chunk they began in is held.
const AHEAD_BYTES = 16 * 1024 * 1024;
const ENTRY_COST = 256; // a held entry's objects, roughly, besides its strings
// Thrown into the read to stop it once the scan has stopped.
class Stopped extends Error {
}
const NOTHING = { push: () => false, end: () => { } };
class LayerWalk {
    fs;
    index;
    layer;
    scan;
    added;
    bytes = 0;
    compression = 'none';
    compressedBytesOf = () => 0;
    // A queue: entries from `next` on are waiting (shift() on ten thousand
    // entries would move them all each time).
    held = [];
    next = 0;
    heldBytes = 0;
    inTurn;
    stalled = false;
    wake;
    closed = false;
    again;
    raw;
    skipBelow;
    cap;
    read;
    constructor(fs, index, layer, scan, opts = {}) {
        this.fs = fs;
        this.index = index;
        this.layer = layer;
        this.scan = scan;
        this.inTurn = opts.inTurn ?? false;
        this.skipBelow = opts.skipBelow ?? 0;
        this.added = opts.added ?? new Set();
        this.cap = opts.cap ?? AHEAD_BYTES;
        this.read = this.run();
        // Not awaited until this layer's turn: a failure ahead is reported then,
        // in layer order, not as an unhandled rejection.
        this.read.catch(() => { });
    }
    compressedBytes() {
        return this.compressedBytesOf();
    }
    // This layer's turn: applies what was held, lets the read run on, and
    // resolves once the whole layer is applied, or to the entry to read again from.
    async turn() {
        this.inTurn = true;
        this.pump();
        this.resume();
        const entries = await this.read;
        if (this.again !== undefined)
            return { entries, again: this.again };
        this.pump();
        if (this.waiting() > 0)
            throw new Error(`layer ${this.layer.digest}: ${this.waiting()} entries read but never applied`);
        return { entries };
    }
    // Stops the read and closes its stream (an open connection keeps the process alive).
    close() {
        this.closed = true;
        this.raw?.destroy();
        this.resume();
    }
    resume() {
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
    }
    async run() {
        const raw = await this.layer.open();
        this.raw = raw;
        if (this.closed)
            raw.destroy();
        const source = await decompressLayer(raw, this.layer.digest);
        this.compression = source.compression;
        this.compressedBytesOf = source.compressedBytes;
        const chunks = async function* () {
            for await (const chunk of source.chunks) {
                if (this.closed)
                    throw new Stopped();
                this.bytes += chunk.length;
                yield chunk;
                while (!this.inTurn && !this.closed && (this.stalled || this.heldBytes > this.cap)) {
                    await new Promise((resolve) => (this.wake = resolve));
                }
            }
        }.call(this);
        let entry = 0;
        return readTar(chunks, (e) => {
            const index = entry++;
            // Entries an earlier read applied, and, once this read is to stop,
            // those still in the chunk at hand: nothing of them is applied.
            if (index < this.skipBelow || this.again !== undefined || this.closed)
                return undefined;
            if (this.inTurn && this.waiting() === 0)
                return this.fs.applyEntry(e, this.index, this.layer.digest, this.added);
            return this.hold(e, index);
        });
    }
    hold(entry, index) {
        const base = ENTRY_COST + 2 * (entry.path.length + entry.linkname.length);
        const h = { entry, index, ended: true, cost: base };
        this.held.push(h);
        this.heldBytes += h.cost;
        const guess = this.fs.speculate(entry);
        if (!guess)
            return undefined;
        h.ended = false;
        const grow = (n) => {
            h.cost += n;
            this.heldBytes += n;
        };
        if (guess.wants.some((w) => w.ordered)) {
            const wait = (h.wait = { chunks: [] });
            this.stalled = true;
            return {
                push: (chunk) => {
                    if (wait.sink)
                        return wait.sink.push(chunk);
                    wait.chunks.push(chunk);
                    grow(chunk.length);
                },
                end: () => {
                    h.ended = true;
                    this.pump();
                },
            };
        }
        const warned = [];
        const ahead = (h.ahead = { ...guess, contents: new Map(), problems: [], warned });
        // Sinks run ahead warn into the entry (said in its turn, if it is kept);
        // the shared budget is for ordered wants only.
        const unordered = () => {
            throw new Error(`${guess.path}: a want that uses the scan's shared budget must be marked ordered`);
        };
        const scan = {
            get inflatedBytes() {
                return unordered();
            },
            set inflatedBytes(_) {
                unordered();
            },
            warn: (path, message) => warned.push([path, message]),
        };
        const fail = () => {
            h.failed = true;
            h.ended = true;
            return false;
        };
        let sink;
        try {
            sink = this.fs.captureSink(guess.path, this.layer.digest, entry, guess.wants, scan, (contents, problems) => {
                ahead.contents = contents;
                ahead.problems = problems;
            });
        }
        catch {
            fail();
            return undefined;
        }
        return {
            push: (chunk) => {
                if (h.failed)
                    return false;
                grow(chunk.length);
                try {
                    return sink.push(chunk);
                }
                catch {
                    return fail();
                }
            },
            end: () => {
                if (!h.failed) {
                    try {
                        sink.end();
                        let kept = 0;
                        for (const b of ahead.contents.values())
                            kept += b.length;
                        grow(base + kept - h.cost); // what it holds now, no longer what was pushed
                    }
                    catch {
                        fail();
                    }
                }
                h.ended = true;
                this.pump();
            },
        };
    }
    waiting() {
        return this.held.length - this.next;
    }
    // In turn: applies the held entries, in order, as far as they have ended.
    pump() {
        while (this.inTurn && this.again === undefined && this.waiting() > 0) {
            const h = this.held[this.next];
            if (h.wait) {
                const wait = h.wait;
                if (!wait.sink) {
                    wait.sink = this.fs.applyEntry(h.entry, this.index, this.layer.digest, this.added) ?? NOTHING;
                    for (const chunk of wait.chunks)
                        wait.sink.push(chunk);
                    wait.chunks = [];
                }
                if (!h.ended)
                    return; // the rest of its bytes go straight to the sink; its end pumps again
                if (!wait.endSent) {
                    wait.endSent = true;
                    wait.sink.end();
                }
            }
            else {
                if (!h.ended)
                    return;
                const verdict = h.failed ? 'again' : this.fs.replay(h.entry, this.index, this.layer.digest, h.ahead, this.added);
                if (verdict === 'again') {
                    // The read runs on to its end, applying nothing more: entries
                    // already applied came from it, and only a source read whole has
                    // had its digest checked (a registry could serve other bytes twice).
                    this.again = h.index;
                    this.held = [];
                    this.next = 0;
                    this.heldBytes = 0;
                    return;
                }
                if (verdict === 'kept')
                    for (const [path, message] of h.ahead.warned)
                        this.scan.warn(path, message);
            }
            this.held[this.next++] = undefined;
            if (this.next === this.held.length) {
                this.held = [];
                this.next = 0;
            }
            this.heldBytes -= h.cost;
        }
    }
}

;// CONCATENATED MODULE: ./lib/image/scan.js





// Decimal megabytes, as the scan's progress lines (and the CLI's) print sizes.
function mb(bytes) {
    return `${(bytes / 1e6).toFixed(1)} MB`;
}
function layerLine(l, total, packagesSoFar) {
    const seconds = (performance.now() - l.started) / 1000;
    return (`layer ${l.index + 1}/${total} ${l.digest.slice(0, 19)} ${l.compression}: ${mb(l.compressedBytes)} → ${mb(l.bytes)}, ` +
        `${l.entries} entries, ${seconds.toFixed(2)} s; ${packagesSoFar} packages so far`);
}
// A layer Go's archive/tar (containerd, moby) cannot read is one the runtime
// would not unpack either: any SBOM of it would be untrue, so the run stops.
function layerRefused(digest, err) {
    if (!(err instanceof TarError))
        return err;
    return new errors/* ActionError */.l('SBOM', `layer ${digest} is not a tar archive container runtimes can unpack (${err.message}); nothing was signed: rebuild the image with a standard tar writer and push it again`, { cause: err });
}
// A scan allocates a gigabyte of short-lived zlib output per gigabyte of
// layers (external memory) over a live heap of ~10 MB. V8's defaults suit
// neither: the young generation doubles under that load, so dead chunks
// wait longer for a scavenge, and each full GC, finding a small heap, sets the
// next one close above it, so external memory alone triggers one every
// ~60 ms. While layers stream, the young generation keeps its size and the
// heap may grow to 5× its live size before the next full GC; both are V8
// flags read at each GC, and their defaults are back once the last scan ends.
// Measured on the 1 GB benchmark image, 4 interleaved pairs: 41-44 → 13-14
// full GCs, 0.4-0.9 s less CPU (of 3.0-3.8 s), 192-195 → 169-172 MB peak RSS;
// the hostile layers' peaks are unchanged.
let scansRunning = 0;
function tuneGcForStreaming() {
    if (scansRunning++ === 0)
        (0,external_node_v8_.setFlagsFromString)('--semi-space-growth-factor=1 --heap-growing-percent=400');
    return () => {
        if (--scansRunning === 0)
            (0,external_node_v8_.setFlagsFromString)('--semi-space-growth-factor=2 --heap-growing-percent=0');
    };
}
// Applies every layer in order to a layered filesystem that keeps what
// `wants` match; `warn` hears what was skipped, in scan order; `onLayer` runs
// after each layer (whatever it throws stops the walk, streams closed). The
// next layer is read and parsed while this one is applied (layer-walk.ts).
async function walkLayers(layers, wants, warn, onLayer, opts = {}) {
    let currentLayer;
    const scan = { inflatedBytes: 0, warn: (path, message) => warn({ path, layer: currentLayer, message }) };
    const fs = new LayeredFs(wants, scan);
    let total = 0;
    const start = (i, walk = {}) => new LayerWalk(fs, i, layers[i], scan, { cap: opts.aheadBytes, ...walk });
    // The next layer's request goes out with this one's, not after its answer:
    // a registry's latency is paid once, not once per layer.
    let ahead = layers.length > 0 ? start(0) : undefined;
    let current;
    const release = tuneGcForStreaming();
    try {
        for (const [i, layer] of layers.entries()) {
            const started = performance.now();
            currentLayer = layer.digest;
            current = ahead;
            ahead = i + 1 < layers.length ? start(i + 1) : undefined;
            let walked;
            try {
                walked = await current.turn();
                // A guess made ahead did not hold: the rest is read again, in turn.
                while (walked.again !== undefined) {
                    current.close();
                    current = start(i, { inTurn: true, skipBelow: walked.again, added: current.added });
                    walked = await current.turn();
                }
            }
            catch (err) {
                throw layerRefused(layer.digest, err);
            }
            total += current.bytes;
            const live = [...current.added].filter((c) => fs.isLive(c));
            await onLayer({
                index: i,
                digest: layer.digest,
                added: live,
                compression: current.compression,
                compressedBytes: current.compressedBytes(),
                bytes: current.bytes,
                entries: walked.entries,
                started,
            }, fs);
            current = undefined;
        }
    }
    catch (err) {
        // Whatever stopped the scan, no stream stays open: the current layer's
        // and the one read ahead (an open connection keeps the process alive).
        current?.close();
        ahead?.close();
        throw err;
    }
    finally {
        release();
    }
    return { fs, uncompressedBytes: total };
}

;// CONCATENATED MODULE: ./lib/sbom/detach.js
// A string a cataloger cut out of a file's text (a regex group, slice, split
// or trim of it) is, in V8, a view that keeps the whole text alive. Packages
// are held until the scan ends, so one license name could pin a 100 KB
// copyright file; on the benchmark image those pinned texts made V8 run ~3×
// as many full GCs while the later layers streamed (~0.4 s of CPU). Each kept
// string is copied once here, so the texts die with the parse.
// JSON round trip: a new string of the same UTF-16 units, lone surrogates
// (the scanner's U+DC80.. escapes of non-UTF-8 names) included.
const own = (s) => JSON.parse(JSON.stringify(s));
const ownAll = (list) => list?.map(own);
// In place: relationships refer to the package objects themselves.
function detachStrings(result) {
    for (const p of result.packages)
        detachPkg(p);
    return result;
}
function detachPkg(p) {
    p.name = own(p.name);
    p.version = own(p.version);
    p.purl = own(p.purl);
    p.licenses = p.licenses.map(own);
    if (p.group !== undefined)
        p.group = own(p.group);
    if (p.requires)
        p.requires = ownAll(p.requires);
    if (p.provides)
        p.provides = ownAll(p.provides);
    if (p.cpes)
        p.cpes = ownAll(p.cpes);
}

;// CONCATENATED MODULE: ./lib/sbom/catalog.js





const distroWant = { name: 'distro', match: (path) => DISTRO_FILES.includes(path) };
async function scanImage(layers, catalogers, log = () => { }) {
    const warnings = [];
    let currentLayer;
    const parsed = new Map();
    // Packages of every parsed file still held; a later layer may remove files,
    // so the component limit is checked at the end, but what is held meanwhile
    // is bounded too.
    let held = 0;
    const hold = (previous, next) => {
        held += componentCount(next.result.packages) - (previous ? componentCount(previous.result.packages) : 0);
        if (held > MAX_HELD_PACKAGES) {
            throw new ScanLimitError(`layer ${currentLayer ?? '(final)'}: more than ${MAX_HELD_PACKAGES} packages held while scanning (${MAX_COMPONENTS} may remain at the end)`);
        }
    };
    const parse = async (capture, distro) => {
        const key = JSON.stringify(distro ?? null);
        let byCataloger = parsed.get(capture);
        if (!byCataloger)
            parsed.set(capture, (byCataloger = new Map()));
        for (const cataloger of catalogers) {
            const content = capture.contents.get(cataloger);
            if (!content || byCataloger.get(cataloger)?.distroKey === key)
                continue;
            // A file parsed again (the distro changed) reports its problems once.
            const again = byCataloger.has(cataloger);
            const warn = (message) => {
                if (!again)
                    warnings.push({ path: capture.path, layer: capture.layer, message: `${cataloger.name}: ${message}` });
            };
            const previous = byCataloger.get(cataloger);
            let next;
            try {
                next = { distroKey: key, result: detachStrings(await cataloger.parse({ path: capture.path, layer: capture.layer, content }, { distro, warn })) };
            }
            catch (err) {
                const empty = { packages: [], relationships: [] };
                if (err instanceof ScanLimitError)
                    next = { distroKey: key, result: empty, overLimit: err.message };
                else {
                    // One bad file must not cost the rest of the SBOM.
                    warn(`not read: ${err instanceof Error ? err.message : String(err)}`);
                    next = { distroKey: key, result: empty };
                }
            }
            byCataloger.set(cataloger, next);
            hold(previous, next);
        }
    };
    const currentDistro = (fs) => {
        const text = (path) => fs.read(path, distroWant)?.toString('utf8');
        return identifyDistro(text('/etc/os-release') ?? text('/usr/lib/os-release'), text('/etc/debian_version'));
    };
    const liveResults = (fs) => [...fs.live()].flatMap((c) => [...(parsed.get(c)?.values() ?? [])].map((p) => p.result));
    const { fs, uncompressedBytes } = await walkLayers(layers, [distroWant, ...catalogers], (p) => warnings.push(p), async (layer, fs) => {
        currentLayer = layer.digest;
        const distro = currentDistro(fs);
        for (const capture of layer.added)
            await parse(capture, distro);
        const live = new Set(fs.live());
        for (const [capture, byCataloger] of parsed) {
            if (live.has(capture))
                continue;
            for (const p of byCataloger.values())
                held -= componentCount(p.result.packages);
            parsed.delete(capture);
        }
        const count = liveResults(fs).reduce((n, r) => n + componentCount(r.packages), 0);
        log(layerLine(layer, layers.length, count));
    });
    currentLayer = undefined;
    const distro = currentDistro(fs);
    for (const capture of fs.live())
        await parse(capture, distro);
    // A file still present that broke a limit, or too many components in all:
    // leaving packages out would make the SBOM untrue, so there is none.
    for (const capture of fs.live()) {
        for (const p of parsed.get(capture)?.values() ?? []) {
            if (p.overLimit)
                throw new ScanLimitError(`${capture.path} (layer ${capture.layer}) lists ${p.overLimit}`);
        }
    }
    const results = liveResults(fs);
    const found = results.reduce((n, r) => n + componentCount(r.packages), 0);
    if (found > MAX_COMPONENTS)
        throw new ScanLimitError(`the image holds ${found} packages, more than the SBOM component limit of ${MAX_COMPONENTS}`);
    const packages = results.flatMap((r) => r.packages);
    const relationships = results.flatMap((r) => r.relationships);
    for (const cataloger of catalogers) {
        if (!cataloger.relate)
            continue;
        relationships.push(...cataloger.relate(packages.filter((p) => p.foundBy === cataloger.name)));
    }
    return { distro, packages, relationships, warnings: [...fs.warnings, ...warnings], uncompressedBytes };
}

// EXTERNAL MODULE: ./lib/sbom/spdx.js
var sbom_spdx = __webpack_require__(86746);
// EXTERNAL MODULE: ./lib/sbom/types.js
var types = __webpack_require__(43268);
;// CONCATENATED MODULE: ./lib/sbom/generate.js
// The generator: one streaming scan of an image through the catalogers, then
// one document per requested format from that one package list.







const DEFAULT_TOOL = { name: types/* TOOL */.j, version: 'unknown' };
// The CycloneDX library is a chunk of its own (~0.8 MB of bundle, the schema
// check another), loaded when the document is built, after the scan: what a
// scan keeps alive sets how often V8 runs full GCs while the layers stream
// (loaded during the scan, the chunk cost ~0.2 s of GC CPU on a 1 GB image,
// more than its compile saves in wall time). The action builds documents once
// the certificate request has left (sbom/step.ts): the compile overlaps it.
let cyclonedx;
function loadCycloneDx() {
    return (cyclonedx ??= Promise.all(/* import() */[__webpack_require__.e(567), __webpack_require__.e(320)]).then(__webpack_require__.bind(__webpack_require__, 29320)));
}
// Runtime validation is for small images only: it is O(n²) in components
// (the schema's uniqueItems: 2k components take ~0.6 s, 20k ~45 s), and the
// validator adds ~35 MB to the peak memory of a large scan (measured on a
// 1 GB image: 210 MB with it, 177 MB without). Tests validate every document.
const AUTO_VALIDATE_MAX_COMPONENTS = 2000;
const AUTO_VALIDATE_MAX_BYTES = 256e6;
// The SBOM attested on a multi-platform index, in each requested format: the
// index as the subject and one container component per platform image it
// lists. Each platform's packages are in that platform's own SBOM.
async function generateIndexSboms(index, platforms, formats, tool = DEFAULT_TOOL) {
    const { buildCycloneDxIndexDocument } = await loadCycloneDx();
    return formats.map((format) => {
        if (format === 'cyclonedx')
            return { ...buildCycloneDxIndexDocument(index, platforms), format, predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.cyclonedx, problems: [] };
        const spdx = (0,sbom_spdx/* buildSpdxIndexDocument */.Dr)(index, platforms, tool);
        return { document: spdx.document, json: spdx.json, componentCount: spdx.packageCount, format, predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.spdx, problems: [] };
    });
}
async function generateImageSbom(input) {
    return (await generateImageSboms(input, ['cyclonedx']))[0];
}
// One scan of the image, then one document per format, in the order asked.
async function generateImageSboms(input, formats) {
    const scanned = await catalogImage(input);
    return renderSboms(scanned, formats, input);
}
// Streams the layers once through the catalogers: the package list every
// format is written from.
async function catalogImage(input) {
    const log = input.log ?? (() => { });
    const layers = input.layers.map((l) => ({ digest: l.digest, open: () => input.openBlob(l.digest) }));
    let scan;
    try {
        scan = await scanImage(layers, catalogers, log);
    }
    catch (err) {
        // A component list cut short would be an untrue SBOM: refuse, sign nothing.
        if (err instanceof ScanLimitError) {
            throw new errors/* ActionError */.l('SBOM', `cannot generate a complete SBOM for ${input.name}@${input.digest}: ${err.message}; pass your own SBOM with the sbom input, or sbom: false`, { cause: err });
        }
        throw err;
    }
    // Every problem in the log (the step's annotations show the first few).
    for (const w of scan.warnings)
        log(`skipped: ${(0,types/* problemLine */.Y)(w)}`);
    return {
        content: {
            image: { name: input.name, digest: input.digest, platform: input.platform },
            distro: scan.distro,
            packages: settlePackages(scan.packages),
            relationships: scan.relationships,
            problems: scan.warnings,
        },
        uncompressedBytes: scan.uncompressedBytes,
    };
}
async function renderSboms({ content, uncompressedBytes }, formats, opts = {}) {
    const log = opts.log ?? (() => { });
    const { buildSbomDocument, validateCycloneDx } = await loadCycloneDx();
    const problems = content.problems ?? [];
    const results = [];
    for (const format of formats) {
        if (format === 'spdx') {
            const spdx = (0,sbom_spdx/* buildSpdxDocument */.J2)(content, opts.tool ?? DEFAULT_TOOL);
            log(`SBOM (SPDX 2.3): ${spdx.packageCount} packages, ${(spdx.json.length / 1e6).toFixed(2)} MB`);
            results.push({ document: spdx.document, json: spdx.json, componentCount: spdx.packageCount, format, predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.spdx, problems });
            continue;
        }
        const built = buildSbomDocument(content);
        const mode = opts.validate ?? 'auto';
        const small = built.componentCount <= AUTO_VALIDATE_MAX_COMPONENTS && uncompressedBytes <= AUTO_VALIDATE_MAX_BYTES;
        if (mode === 'always' || (mode === 'auto' && small)) {
            const problem = await validateCycloneDx(built.json);
            if (problem) {
                throw new errors/* ActionError */.l('SBOM', `the generated SBOM for ${content.image.name} is not valid CycloneDX 1.6 (${problem}); please report this, or pass your own with the sbom input`);
            }
        }
        log(`SBOM: ${built.componentCount} components, ${content.relationships.length} dependency edges, ${(built.json.length / 1e6).toFixed(2)} MB`);
        results.push({ ...built, format: 'cyclonedx', predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.cyclonedx, problems });
    }
    return results;
}

;// CONCATENATED MODULE: ./lib/sbom/load.js



// A user's own SBOM file (sbom: <path>): CycloneDX or SPDX JSON, read once.
async function loadSbomFile(path) {
    const fix = 'pass a CycloneDX JSON (bomFormat "CycloneDX") or SPDX JSON (spdxVersion "SPDX-2.x") document, or set sbom: generate to catalog the image instead';
    let json;
    try {
        json = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (err) {
        throw new errors/* ActionError */.l('SBOM', `cannot read sbom file ${path}: ${(0,errors/* errorLine */.B)(err)}; ${fix}`, { cause: err });
    }
    let parsed;
    try {
        parsed = JSON.parse(json);
    }
    catch (err) {
        throw new errors/* ActionError */.l('SBOM', `sbom file ${path} is not JSON (${(0,errors/* errorLine */.B)(err)}); ${fix}`, { cause: err });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new errors/* ActionError */.l('SBOM', `sbom file ${path} is not a JSON object; ${fix}`);
    }
    const document = parsed;
    const count = (v) => (Array.isArray(v) ? v.length : 0);
    if (document.bomFormat === 'CycloneDX' && typeof document.specVersion === 'string') {
        return { document, json, predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.cyclonedx, format: 'cyclonedx', componentCount: count(document.components) };
    }
    if (typeof document.spdxVersion === 'string' && document.spdxVersion.startsWith('SPDX-')) {
        return { document, json, predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.spdx, format: 'spdx', componentCount: count(document.packages) };
    }
    throw new errors/* ActionError */.l('SBOM', `sbom file ${path} is neither CycloneDX nor SPDX JSON; ${fix}`);
}

;// CONCATENATED MODULE: ./lib/sbom/step.js









// The SBOM predicates for each image, in target order: one document per
// requested format generated per image (one scan), or the user's file (read once). A supplied SBOM describes what
// the user named, so it is attested only on the images named in `images`,
// never on the platform images derived from a named index.
async function sbomPredicates(targets, registries, mode, outDir, log, formats = ['cyclonedx'], 
// signal: stops the scan when the run failed elsewhere; scanned: told once
// every image is read (only the documents are left to write and check).
{ signal, scanned = () => undefined } = {}) {
    if (mode.kind !== 'generate')
        scanned();
    if (mode.kind === 'none')
        return targets.map(() => []);
    if (mode.kind === 'file') {
        const sbom = await loadSbomFile(mode.path);
        const predicate = { kind: 'sbom', format: sbom.format, predicateType: sbom.predicateType, document: sbom.document, path: mode.path };
        return targets.map((t) => {
            if (isDerived(t)) {
                log
                    .image(t.name, t.digest)
                    .info(`SBOM: none for this platform image: the supplied ${mode.path} describes the index named in images, so it is attested there only (sbom: generate catalogs each platform)`);
                return [];
            }
            log.image(t.name, t.digest).info(`SBOM: the supplied ${mode.path} (${sbom.predicateType}), attested on this image as named in images`);
            return [predicate];
        });
    }
    let scanning = targets.length;
    const arrived = () => --scanning === 0 && scanned();
    if (!targets.length)
        scanned();
    const generated = await Promise.all(targets.map(async (t) => generatedSboms(t, layerReader(t, await registries(t.ref.registry), signal), outDir, log, formats, arrived)));
    annotateProblems(generated.flatMap((g) => g.problems.map((p) => ({ where: g.where, problem: p }))));
    return generated.map((g) => g.predicates);
}
// Annotations a run shows for scanner problems; the rest are counted in one
// more, and all of them are in the log and in the SBOM's metadata.
const MAX_PROBLEM_ANNOTATIONS = 10;
// One ::warning:: per skipped or truncated file, unreadable database or limit
// hit, so they show on the run's page instead of inside a collapsed group.
function annotateProblems(problems, warn = core/* warning */.$e) {
    for (const { where, problem } of problems.slice(0, MAX_PROBLEM_ANNOTATIONS)) {
        warn(`SBOM for ${where}: ${(0,types/* problemLine */.Y)(problem)}`, { title: problem.path ? `SBOM scan: ${problem.path}` : 'SBOM scan' });
    }
    const rest = problems.length - MAX_PROBLEM_ANNOTATIONS;
    if (rest > 0) {
        warn(`${rest} more SBOM scanner problem${rest === 1 ? '' : 's'} not shown here; all are in the log of the SBOM step and in each SBOM's sign-attest:scan:skipped properties`, {
            title: 'SBOM scan',
        });
    }
}
// A platform image found inside a named index, not named by the user.
const isDerived = (t) => t.platform !== undefined;
// Documents generated by streaming the image's layers from the registry
// once. An index gets documents listing its platform images; each platform
// image gets its own full SBOM.
const FILE_NAMES = { cyclonedx: 'sbom.cdx.json', spdx: 'sbom.spdx.json' };
// The descriptor's size bounds each layer read (a longer blob is wrong
// content). When the run fails elsewhere meanwhile, `signal` stops the scan.
function layerReader(target, client, signal) {
    return async (digest) => {
        signal?.throwIfAborted();
        const stream = await client.openBlob(target.ref.repository, digest, target.manifest.manifest.layers?.find((l) => l.digest === digest)?.size);
        if (signal?.aborted)
            stream.destroy(signal.reason);
        else
            signal?.addEventListener('abort', () => stream.destroy(signal.reason), { once: true });
        return stream;
    };
}
async function generatedSboms(target, openBlob, outDir, runLog, formats, scanned) {
    const where = `${target.name}@${target.digest}${target.platform ? ` (${target.platform})` : ''}`;
    const log = runLog.image(target.name, target.digest);
    const platforms = (0,targets/* isIndex */.nw)(target) ? (0,targets/* platformsOf */.Wt)(target) : [];
    const tool = { name: 'sign-attest-action', version: packageVersion() };
    const input = {
        name: target.name,
        digest: target.digest,
        platform: target.platform,
        layers: target.manifest.manifest.layers ?? [],
        openBlob,
        log: (line) => log.info(line),
        validate: 'auto',
        tool,
    };
    const cataloged = (0,targets/* isIndex */.nw)(target) ? undefined : await catalogImage(input);
    scanned();
    // The certificate request that `scanned` lets go leaves before the documents are written and checked (src/later.ts).
    const sboms = await (0,later/* afterRequestsLeave */.O)(() => cataloged
        ? renderSboms(cataloged, formats, input)
        : generateIndexSboms({ name: target.name, digest: target.digest }, platforms.map((p) => ({ name: target.name, digest: p.digest, platform: p.platform })), formats, tool));
    const dir = (0,targets/* targetDir */.fu)(outDir, target);
    await (0,promises_.mkdir)(dir, { recursive: true });
    const predicates = await Promise.all(sboms.map(async (sbom) => {
        const path = (0,external_node_path_.join)(dir, FILE_NAMES[sbom.format]);
        await (0,promises_.writeFile)(path, sbom.json);
        // An image's generator has already logged its figures.
        log.info((0,targets/* isIndex */.nw)(target) ? `SBOM (${sbom.format}): index document listing ${platforms.length} platform images → ${path}` : `SBOM document (${sbom.format}) → ${path}`);
        return { kind: 'sbom', format: sbom.format, predicateType: sbom.predicateType, document: sbom.document, path };
    }));
    // Both formats come from one scan: its problems are reported once.
    return { predicates, problems: sboms[0]?.problems ?? [], where };
}

;// CONCATENATED MODULE: ./lib/workflow-claims.js

// Key signing needs no OIDC token, so a job without `id-token: write` has no
// claims for the provenance. The runner's default environment names the
// same facts; they become the claims buildProvenance reads. Unlike a token,
// nothing vouches for them but the signing key: an earlier step of the job
// could change them, which is why the token's claims are used whenever the
// job can get a token.
//
// claim ← variable. GitHub has no variable for job_workflow_ref (the called
// workflow of a reusable one), so the calling workflow's ref stands in.
const CLAIM_VARIABLES = {
    ref: 'GITHUB_REF',
    sha: 'GITHUB_SHA',
    repository: 'GITHUB_REPOSITORY',
    repository_owner: 'GITHUB_REPOSITORY_OWNER',
    event_name: 'GITHUB_EVENT_NAME',
    workflow_ref: 'GITHUB_WORKFLOW_REF',
    job_workflow_ref: 'GITHUB_WORKFLOW_REF',
    repository_id: 'GITHUB_REPOSITORY_ID',
    repository_owner_id: 'GITHUB_REPOSITORY_OWNER_ID',
    runner_environment: 'RUNNER_ENVIRONMENT',
    run_id: 'GITHUB_RUN_ID',
    run_attempt: 'GITHUB_RUN_ATTEMPT',
};
// Not optional for provenance: everything but repository_owner.
const OPTIONAL = new Set(['repository_owner']);
// The issuer GitHub's tokens carry; recorded nowhere in the provenance.
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
function claimsFromEnvironment(env = process.env) {
    const missing = [
        ...new Set(Object.entries(CLAIM_VARIABLES)
            .filter(([claim, variable]) => !OPTIONAL.has(claim) && !env[variable])
            .map(([, variable]) => variable)),
    ];
    if (missing.length) {
        throw new errors/* ActionError */.l('INPUT', `provenance: with signing-key and no OIDC token, provenance is built from the runner's environment, which lacks ${missing.join(', ')}; run inside GitHub Actions, grant id-token: write so the token's claims are used, or set provenance: false`);
    }
    const claims = { iss: GITHUB_ISSUER };
    for (const [claim, variable] of Object.entries(CLAIM_VARIABLES)) {
        const value = env[variable];
        if (value)
            claims[claim] = value;
    }
    return claims;
}

;// CONCATENATED MODULE: ./lib/stages/predicates.js




// The predicates stage: what each image is attested with, in target order.
// Provenance describes the run (the same document on every image); SBOMs are
// per image; the `predicates` input's documents go on every image.
async function predicatesFor(targets, registries, inputs, 
// The run's provenance document (provenanceDocument), shared with the release files.
document, outDir, log, events = {}) {
    const provenance = document ? [{ kind: 'provenance', predicateType: formats_predicates/* PREDICATE_TYPES */.Cs.slsaProvenance, document }] : [];
    const custom = inputs.predicates.map((p) => ({ kind: 'predicate', predicateType: p.predicateType, typeName: p.name, document: p.document }));
    const sboms = await sbomPredicates(targets, registries, inputs.sbom, outDir, log, inputs.sbomFormats, events);
    return sboms.map((sbom) => [...provenance, ...sbom, ...custom]);
}
// The run's SLSA provenance (also the release files' one), unless turned off.
// Absent identity (key signing without a token): the runner's environment stands in (workflow-claims.ts).
function provenanceDocument(inputs, identity) {
    return inputs.provenance ? buildProvenance(identity?.claims ?? claimsFromEnvironment(), process.env['GITHUB_SERVER_URL']) : undefined;
}
// While the images are scanned, `before` (the push probe) runs; once every
// image has been read (an image that cannot be described is refused before
// any certificate or Rekor entry), the signer is opened while the documents
// are written and checked. A failure on either side stops the scan.
async function describeWhileOpening(describe, before, open) {
    const scan = new AbortController();
    let scanned;
    const read = new Promise((r) => (scanned = r));
    try {
        return await Promise.all([describe({ signal: scan.signal, scanned }), Promise.all([before, read]).then(open)]);
    }
    catch (err) {
        scan.abort(err);
        throw err;
    }
}

// EXTERNAL MODULE: ./lib/http.js
var lib_http = __webpack_require__(44247);
;// CONCATENATED MODULE: ./lib/sigstore/fulcio.js


// Fulcio v2 `signingCert`: one request per run, proving possession of the
// ephemeral key by signing the token's `sub` claim.
async function requestCertificate(http, fulcioURL, req) {
    const url = `${fulcioURL.replace(/\/+$/, '')}/api/v2/signingCert`;
    const res = await http.request(url, {
        method: 'POST',
        service: 'fulcio',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
            credentials: { oidcIdentityToken: req.token },
            publicKeyRequest: {
                publicKey: { algorithm: 'ECDSA', content: req.publicKeyPEM },
                proofOfPossession: req.proofOfPossession.toString('base64'),
            },
        }),
    });
    if (!res.ok) {
        const detail = await (0,lib_http/* errorText */.kc)(res);
        const fix = res.status === 401 || res.status === 403
            ? 'the OIDC token was rejected: check oidc-audience (Fulcio expects "sigstore") and that fulcio-url trusts your token issuer'
            : 'check fulcio-url';
        throw new errors/* ActionError */.l('FULCIO', `Fulcio at ${new URL(url).origin} refused the certificate request (HTTP ${res.status}${detail ? `: ${detail}` : ''}); ${fix}`);
    }
    const body = (await res.json());
    const chain = (body.signedCertificateEmbeddedSct ?? body.signedCertificateDetachedSct)?.chain?.certificates;
    if (!chain?.length)
        throw new errors/* ActionError */.l('FULCIO', `Fulcio at ${new URL(url).origin} returned no certificate chain; check fulcio-url`);
    return chain;
}

;// CONCATENATED MODULE: ./lib/sigstore/rekor.js



// Uploads an entry. A 409 means the same entry is already logged (a retried
// request whose first response was lost, or an identical earlier run): the
// existing entry is fetched and reused.
async function createEntry(http, rekorURL, entry) {
    const base = rekorURL.replace(/\/+$/, '');
    // Streamed: a DSSE entry carries the whole envelope (megabytes for an SBOM).
    const body = (0,json_slices/* jsonBody */.J9)(entry);
    const res = await http.request(`${base}/api/v1/log/entries`, {
        method: 'POST',
        service: 'rekor',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
    });
    if (res.status === 413)
        throw tooLarge(base, entry.kind, body.length, await (0,lib_http/* errorText */.kc)(res));
    if (res.status === 409) {
        const location = res.headers.get('location');
        await res.body?.cancel().catch(() => undefined);
        if (!location)
            throw new errors/* ActionError */.l('REKOR', `Rekor at ${base} reported a duplicate entry without its location; check rekor-url`);
        return getEntry(http, new URL(location, base).toString(), base);
    }
    if (res.status !== 201 && res.status !== 200) {
        const detail = await (0,lib_http/* errorText */.kc)(res);
        throw new errors/* ActionError */.l('REKOR', `Rekor at ${base} rejected the ${entry.kind} entry (HTTP ${res.status}${detail ? `: ${detail}` : ''}); check rekor-url`);
    }
    return firstEntry(await res.json(), base);
}
// A body over the log's size limit fails the same way on every attempt: one
// error with the size, the limit when the log states it, and the ways out.
// rekor-server answers "Request Entity Too Large. Limit set to N".
function tooLarge(base, kind, size, detail) {
    const limit = /limit set to (\d+)/i.exec(detail)?.[1];
    const what = kind === 'dsse' ? 'an attestation' : 'a signature';
    return new errors/* ActionError */.l('REKOR', `Rekor at ${base} refused the ${size}-byte ${kind} entry of ${what} as too large (HTTP 413, ` +
        `${limit ? `limit ${limit} bytes` : 'over its request size limit'}); nothing was attached. ` +
        'An SBOM this large does not fit this Rekor v1 log: log to a Rekor v2 instance, set `sbom: false`, ' +
        'or pass a smaller SBOM with `sbom: <path>`');
}
async function getEntryByIndex(http, rekorURL, logIndex) {
    const base = rekorURL.replace(/\/+$/, '');
    return getEntry(http, `${base}/api/v1/log/entries?logIndex=${logIndex}`, base);
}
async function getEntry(http, url, base) {
    const res = await http.request(url, { service: 'rekor', headers: { accept: 'application/json' } });
    if (!res.ok) {
        const detail = await (0,lib_http/* errorText */.kc)(res);
        throw new errors/* ActionError */.l('REKOR', `Rekor at ${base} could not return entry ${new URL(url).pathname} (HTTP ${res.status}${detail ? `: ${detail}` : ''})`);
    }
    return firstEntry(await res.json(), base);
}
function firstEntry(json, base) {
    const [uuid, entry] = Object.entries((json ?? {}))[0] ?? [];
    if (!uuid || !entry || typeof entry.body !== 'string') {
        throw new errors/* ActionError */.l('REKOR', `Rekor at ${base} returned a malformed entry; check that rekor-url points at a Rekor v1 API`);
    }
    return { ...entry, uuid };
}

;// CONCATENATED MODULE: ./lib/sigstore/rekor-v2.js



const hex = (b64) => Buffer.from(b64 ?? '', 'base64').toString('hex');
async function createEntryV2(http, rekorURL, req) {
    const base = rekorURL.replace(/\/+$/, '');
    const body = JSON.stringify({
        hashedRekordRequestV002: {
            digest: req.digest.toString('base64'),
            signature: {
                content: req.signature.toString('base64'),
                verifier: {
                    ...(req.certificate
                        ? { x509Certificate: { rawBytes: req.certificate.toString('base64') } }
                        : { publicKey: { rawBytes: req.publicKey?.toString('base64') ?? '' } }),
                    keyDetails: 'PKIX_ECDSA_P256_SHA_256',
                },
            },
        },
    });
    const res = await http.request(`${base}/api/v2/log/entries`, {
        method: 'POST',
        service: 'rekor',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
    });
    if (!res.ok) {
        const detail = await (0,lib_http/* errorText */.kc)(res);
        throw new errors/* ActionError */.l('REKOR', `Rekor v2 at ${base} rejected the hashedrekord entry (HTTP ${res.status}${detail ? `: ${detail}` : ''}); check rekor-url and rekor-version`);
    }
    const e = (await res.json());
    const proof = e.inclusionProof;
    if (!e.canonicalizedBody || !proof?.checkpoint?.envelope || !proof.rootHash || !e.logId?.keyId) {
        throw new errors/* ActionError */.l('REKOR', `Rekor v2 at ${base} answered without an inclusion proof and checkpoint; check that rekor-url points at a Rekor v2 log`);
    }
    const canonical = Buffer.from(e.canonicalizedBody, 'base64');
    return {
        // RFC 6962 leaf hash, which is what a v1 entry UUID is as well.
        uuid: (0,external_node_crypto_.createHash)('sha256')
            .update(Buffer.concat([Buffer.from([0]), canonical]))
            .digest('hex'),
        body: e.canonicalizedBody,
        integratedTime: Number(e.integratedTime ?? 0),
        logID: hex(e.logId.keyId),
        logIndex: Number(e.logIndex ?? 0),
        verification: {
            inclusionProof: {
                logIndex: Number(proof.logIndex ?? 0),
                rootHash: hex(proof.rootHash),
                treeSize: Number(proof.treeSize ?? 0),
                hashes: (proof.hashes ?? []).map(hex),
                checkpoint: proof.checkpoint.envelope,
            },
        },
    };
}

;// CONCATENATED MODULE: ./lib/sigstore/tsa.js



// RFC 3161 timestamp over a signature, from a sigstore timestamp-authority.
// tsa-url may be the service root or the full endpoint, as in signing configs.
async function requestTimestamp(http, tsaURL, signature) {
    const url = new URL(tsaURL).pathname.replace(/\/+$/, '') === '' ? `${tsaURL.replace(/\/+$/, '')}/api/v1/timestamp` : tsaURL;
    const res = await http.request(url, {
        method: 'POST',
        service: 'tsa',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
            artifactHash: (0,external_node_crypto_.createHash)('sha256').update(signature).digest('base64'),
            hashAlgorithm: 'sha256',
        }),
    });
    if (!res.ok) {
        const detail = await (0,lib_http/* errorText */.kc)(res);
        throw new errors/* ActionError */.l('TSA', `The timestamp authority at ${new URL(url).origin} refused the request (HTTP ${res.status}${detail ? `: ${detail}` : ''}); check tsa-url`);
    }
    return Buffer.from(await res.arrayBuffer());
}

;// CONCATENATED MODULE: ./lib/sign.js











const sign_IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
// One P-256 key for the whole run, reused by every signature and
// attestation in it: an ephemeral key with a Fulcio certificate, or the
// user's cosign key.
class RunSigner {
    http;
    endpoints;
    key;
    identity;
    tlog;
    constructor(http, endpoints, key, 
    // Who verifiers are told signed: the Fulcio certificate, or the public key (bundles carry its hint).
    identity, 
    // false: nothing is logged in Rekor (key signing only).
    tlog = true) {
        this.http = http;
        this.endpoints = endpoints;
        this.key = key;
        this.identity = identity;
        this.tlog = tlog;
    }
    static async create(http, endpoints, identity) {
        const { privateKey, publicKey } = (0,external_node_crypto_.generateKeyPairSync)('ec', { namedCurve: 'P-256' });
        const subject = challengeClaim(identity);
        const chain = await requestCertificate(http, endpoints.fulcioURL, {
            token: identity.token,
            publicKeyPEM: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
            proofOfPossession: (0,external_node_crypto_.sign)('sha256', Buffer.from(subject), privateKey),
        });
        const [leaf, ...rest] = chain.map((c) => c.trim() + '\n');
        if (!leaf)
            throw new errors/* ActionError */.l('FULCIO', 'Fulcio returned an empty certificate chain; check fulcio-url');
        const san = core_dist.X509Certificate.parse(leaf).subjectAltName ?? '';
        return new RunSigner(http, endpoints, privateKey, { kind: 'certificate', certificatePEM: leaf, chainPEM: rest.join(''), san, issuer: identity.issuer });
    }
    // The user's key: no OIDC token and no Fulcio; verifiers pin the public key.
    static withKey(http, endpoints, key, opts) {
        return new RunSigner(http, endpoints, key.privateKey, { kind: 'key', publicKeyPEM: key.publicKeyPEM, publicKeyDER: key.publicKeyDER, hint: key.hint }, opts.tlog);
    }
    get certificatePEM() {
        return this.identity.kind === 'certificate' ? this.identity.certificatePEM : '';
    }
    get chainPEM() {
        return this.identity.kind === 'certificate' ? this.identity.chainPEM : '';
    }
    get san() {
        return this.identity.kind === 'certificate' ? this.identity.san : '';
    }
    get issuer() {
        return this.identity.kind === 'certificate' ? this.identity.issuer : '';
    }
    // Signs raw bytes (cosign simple-signing payloads) and logs a hashedrekord entry.
    // node:crypto signs the payload itself (as signStatement does): the same ECDSA
    // over its sha256, without the ~30 ms noble spends on its first P-256 tables.
    signMessage(payload) {
        return this.signedDigest((0,external_node_crypto_.createHash)('sha256').update(payload).digest(), (0,external_node_crypto_.sign)('sha256', payload, this.key));
    }
    // Signs a file known by its sha256 digest (a release file, hashed as it
    // streamed, or a line of a checksums file): the bundle and the
    // hashedrekord entry are the ones `cosign sign-blob --bundle` makes for the
    // file's bytes, since ECDSA signs the message's hash either way.
    // Only the digest is known here, and node:crypto signs only what it hashes itself.
    signDigest(digest) {
        return this.signedDigest(digest, Buffer.from(nist/* p256 */.s9.sign(digest, this.secretKey(), { prehash: false, format: 'der' })));
    }
    async signedDigest(digest, signature) {
        const bundle = (0,dist/* toMessageSignatureBundle */.hj)({ digest, signature, ...this.bundleMaterial() });
        // The timestamp is over the signature, not the log entry: both run at once.
        const [entry, timestamp] = await Promise.all([
            this.log({
                apiVersion: '0.0.1',
                kind: 'hashedrekord',
                spec: {
                    signature: { content: signature.toString('base64'), publicKey: { content: this.verifierB64() } },
                    data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
                },
            }, () => digest, signature),
            this.timestamp(signature),
        ]);
        return this.finish('hashedrekord', bundle, entry, signature, timestamp);
    }
    // Signs an in-toto statement as a DSSE envelope and logs a dsse entry.
    async signStatement(statement, payloadType = sign_IN_TOTO_PAYLOAD_TYPE) {
        const pae = core_dist.dsse.preAuthEncoding(payloadType, statement);
        const signature = (0,external_node_crypto_.sign)('sha256', pae, this.key);
        const bundle = (0,dist/* toDSSEBundle */.PR)({ artifact: statement, artifactType: payloadType, signature, ...this.bundleMaterial() });
        const envelopeJSON = JSON.stringify((0,dist/* envelopeToJSON */.Qe)(bundle.content.dsseEnvelope));
        // Rekor v2 logs the digest of the pre-authentication encoding; it is taken
        // now so the encoding (as large as the statement) is not held during the upload.
        const paeDigest = this.endpoints.rekorVersion === 2 ? (0,external_node_crypto_.createHash)('sha256').update(pae).digest() : Buffer.alloc(0);
        const [entry, timestamp, envelopeTimestamp] = await Promise.all([
            this.log({ apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: envelopeJSON, verifiers: [this.verifierB64()] } } }, () => paeDigest, signature),
            this.timestamp(signature),
            // Copied into a Buffer only when there is a TSA: for a large SBOM the envelope is megabytes.
            this.endpoints.tsaURL ? this.timestamp(Buffer.from(envelopeJSON)) : undefined,
        ]);
        const signed = this.finish('dsse', bundle, entry, signature, timestamp);
        return { ...signed, envelopeJSON, envelopeTimestamp };
    }
    // Rekor v1 takes the entry as proposed; v2 a hashedrekord over the digest of
    // the signed bytes (for DSSE, the pre-authentication encoding), computed
    // only then: a v1 run does not hash a large envelope for nothing.
    async log(entry, digest, signature) {
        if (!this.tlog)
            return undefined;
        if (this.endpoints.rekorVersion === 2) {
            const m = this.identity;
            const verifier = m.kind === 'certificate' ? { certificate: core_dist.pem.toDER(m.certificatePEM) } : { publicKey: m.publicKeyDER };
            return createEntryV2(this.http, this.endpoints.rekorURL, { digest: digest(), signature, ...verifier });
        }
        return createEntry(this.http, this.endpoints.rekorURL, entry);
    }
    // An RFC 3161 timestamp over `bytes`, when the run has a TSA.
    async timestamp(bytes) {
        return this.endpoints.tsaURL ? requestTimestamp(this.http, this.endpoints.tsaURL, bytes) : undefined;
    }
    finish(kind, bundle, entry, signature, timestamp) {
        bundle.verificationMaterial.tlogEntries = entry ? [toTlogEntry(entry)] : [];
        if (this.identity.kind === 'key')
            bundle.verificationMaterial.content = { $case: 'publicKey', publicKey: { hint: this.identity.hint } };
        if (timestamp)
            bundle.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: timestamp }] };
        return { kind, bundle: bundleJSON(bundle), entry, signature, timestamp };
    }
    // The bundle's verification material: the leaf certificate, or the key's
    // hint (as cosign v3 writes it; the DSSE signature's keyid stays empty, as
    // in cosign's envelopes).
    bundleMaterial() {
        return this.identity.kind === 'certificate' ? { certificate: core_dist.pem.toDER(this.identity.certificatePEM), certificateChain: false } : { certificateChain: false };
    }
    // node:crypto signs only a message it hashes itself; a digest is signed
    // with the raw scalar through @noble/curves (already used to verify digests).
    secretKey() {
        return Buffer.from(this.key.export({ format: 'jwk' }).d ?? '', 'base64url');
    }
    // What Rekor v1 entries name as the verifier: the PEM certificate or PEM public key, base64.
    verifierB64() {
        const m = this.identity;
        return Buffer.from(m.kind === 'certificate' ? m.certificatePEM : m.publicKeyPEM).toString('base64');
    }
}
// Fulcio's proof of possession is a signature over the token's challenge
// claim: `sub` for CI issuers, the email for interactive email identities.
function challengeClaim(identity) {
    const email = (0,lib_identity/* claimString */.ex)(identity.claims, 'email');
    if (email && /accounts\.google\.com|oauth2\.sigstore\.dev/.test(identity.issuer))
        return email;
    const sub = (0,lib_identity/* claimString */.ex)(identity.claims, 'sub');
    if (!sub)
        throw new errors/* ActionError */.l('IDENTITY', 'The OIDC token has no "sub" claim, which Fulcio requires; pass a token from a supported issuer');
    return sub;
}

;// CONCATENATED MODULE: ./lib/stages/signer.js



// Who signs: the user's cosign key, or the workflow's OIDC identity through
// one Fulcio certificate for the whole run.
// The public-good services as its TUF repository names them, asked only once
// the registry has been read (the embedded signing config stood in until then).
async function resolveServices(inputs) {
    if (!inputs.servicesFromTuf)
        return inputs;
    const resolved = await inputs.servicesFromTuf();
    core/* info */.pq(`Sigstore services from ${resolved.servicesFrom}: Fulcio ${resolved.fulcioURL}, Rekor ${resolved.rekorURL}, TSA ${resolved.tsaURL ?? 'none'}`);
    return resolved;
}
// Said once in the log (a notice) when nothing is logged.
const NO_TLOG_NOTICE = 'tlog-upload: false: nothing was logged in a transparency log, so nobody can see or audit these signatures and a leaked key could sign unseen; ' +
    'verifiers must accept that explicitly (cosign verify --key cosign.pub --insecure-ignore-tlog, sign-attest verify --key cosign.pub --insecure-ignore-tlog)';
// The run's signer and what self-verification pins: the key, or the
// certificate's identity.
async function openSigner(http, inputs, identity, key) {
    if (key) {
        const signer = RunSigner.withKey(http, inputs, key, { tlog: inputs.tlogUpload });
        core/* info */.pq(`Signing with the key of signing-key (public key hint ${key.hint})`);
        if (!signer.tlog)
            core/* notice */.lm(NO_TLOG_NOTICE);
        return { signer, policy: { key: keyPolicy(key.publicKeyPEM), insecureIgnoreTlog: !signer.tlog } };
    }
    if (!identity)
        throw new Error('keyless signing needs the workflow identity');
    const signer = await RunSigner.create(http, inputs, identity);
    core/* info */.pq(`Signing as ${signer.san} (issuer ${signer.issuer})`);
    return { signer, policy: { san: signer.san, issuer: signer.issuer } };
}

;// CONCATENATED MODULE: ./lib/stages/index.js
// The stages a run needs once its first requests are out. main.ts loads
// this module (a chunk of its own: Sigstore, signing, SBOM, attaching,
// outputs) while the token and the image manifests are on their way, so
// compiling it overlaps those requests instead of delaying them.










/***/ })

};
