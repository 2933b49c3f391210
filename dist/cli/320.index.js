export const id = 320;
export const ids = [320];
export const modules = {

/***/ 9320:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TOOL: () => (/* reexport safe */ _types_js__WEBPACK_IMPORTED_MODULE_4__.j),
/* harmony export */   buildCycloneDxIndexDocument: () => (/* binding */ buildCycloneDxIndexDocument),
/* harmony export */   buildSbomDocument: () => (/* binding */ buildSbomDocument),
/* harmony export */   validateCycloneDx: () => (/* binding */ validateCycloneDx)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4567);
/* harmony import */ var _catalogers_common_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9124);
/* harmony import */ var _cpe_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7607);
/* harmony import */ var _spdx_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7581);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3268);
// The only module that knows CycloneDX: pure builders from the scanned
// package list (and from an index's platform list) to a CycloneDX 1.6
// document, and the schema check.







// The signed document says what it did not read, so that it is not silently
// incomplete: one metadata property per skipped file (the first ones), and a
// count. Policies can refuse SBOMs that carry sign-attest:scan:incomplete.
const MAX_PROBLEM_PROPERTIES = 100;
// CycloneDX allows one license *expression* per component and the library
// silently drops all but the first, so several declared licenses are merged
// here: all SPDX-valid → one AND expression; otherwise each becomes an id or a
// named license.
function licensesOf(declared) {
    const unique = [...new Set(declared.map((l) => l.trim()).filter(Boolean))];
    if (unique.length === 0)
        return [];
    const valid = unique.map(_catalogers_common_js__WEBPACK_IMPORTED_MODULE_2__/* .isSpdxExpression */ .Yr);
    if (valid.every(Boolean)) {
        if (unique.length === 1) {
            const only = unique[0];
            return [/^[A-Za-z0-9.+-]+$/.test(only) && !only.endsWith('+') ? new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.SpdxLicense(only) : new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.LicenseExpression(only)];
        }
        return [new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.LicenseExpression(unique.map((l) => (/\s/.test(l) ? `(${l})` : l)).join(' AND '))];
    }
    // SpdxLicense ids the schema does not know are written as names by the library.
    return unique.map((l, i) => (valid[i] && /^[A-Za-z0-9.-]+$/.test(l) ? new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.SpdxLicense(l) : new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.NamedLicense(l)));
}
// Stable across runs for the same image and contents, so re-attesting an
// unchanged image yields the same document apart from the timestamp.
function serialNumber(image, packages) {
    const h = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(`${image.name}\n${image.digest}\n${image.platform ?? ''}\n`);
    for (const p of packages)
        h.update(`${p.purl}\n${p.path}\n`);
    const x = h.digest('hex');
    const variant = ((parseInt(x[16], 16) & 0x3) | 0x8).toString(16);
    return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-5${x.slice(13, 16)}-${variant}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}
function buildSbomDocument(content) {
    const { image, distro, packages, relationships } = content;
    const bom = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Bom({ serialNumber: serialNumber(image, packages) });
    bom.metadata.timestamp = content.timestamp ?? new Date();
    bom.metadata.tools.components.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Component(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Enums.ComponentType.Application, _types_js__WEBPACK_IMPORTED_MODULE_4__/* .TOOL */ .j));
    const root = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Component(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Enums.ComponentType.Container, image.name, {
        version: image.digest,
        purl: (0,_spdx_js__WEBPACK_IMPORTED_MODULE_3__/* .imagePurl */ .X6)(image),
        bomRef: `${image.name}@${image.digest}`,
    });
    if (image.platform)
        root.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('sign-attest:platform', image.platform));
    bom.metadata.component = root;
    const problems = content.problems ?? [];
    if (problems.length > 0) {
        bom.metadata.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('sign-attest:scan:incomplete', String(problems.length)));
        for (const p of problems.slice(0, MAX_PROBLEM_PROPERTIES))
            bom.metadata.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('sign-attest:scan:skipped', (0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .problemLine */ .Y)(p)));
    }
    if (distro) {
        const os = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Component(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Enums.ComponentType.OperatingSystem, distro.id, {
            version: distro.versionId ?? distro.buildId,
            description: distro.prettyName,
            bomRef: `os:${distro.id}@${distro.versionId ?? distro.buildId ?? ''}`,
        });
        bom.components.add(os);
    }
    // bom-refs must be unique; the same purl found at two paths (two copies of
    // one npm package) gets a suffix derived from its location.
    const purlCount = new Map();
    for (const p of packages)
        purlCount.set(p.purl, (purlCount.get(p.purl) ?? 0) + 1);
    const components = new Map();
    const usedRefs = new Set();
    for (const p of packages) {
        let ref = p.purl;
        if (purlCount.get(p.purl) > 1) {
            const id = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(`${p.path}\n${p.name}\n${p.version}`).digest('hex').slice(0, 16);
            ref = `${p.purl}${p.purl.includes('?') ? '&' : '?'}package-id=${id}`;
        }
        if (usedRefs.has(ref))
            continue; // the very same package reported twice
        usedRefs.add(ref);
        const c = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Component(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Enums.ComponentType.Library, p.name, {
            version: p.version,
            group: p.group,
            purl: p.purl,
            bomRef: ref,
        });
        for (const l of licensesOf(p.licenses))
            c.licenses.add(l);
        // the primary CPE in `cpe`, alternatives as syft writes them
        const [cpe, ...moreCpes] = (0,_cpe_js__WEBPACK_IMPORTED_MODULE_5__/* .cpesFor */ .P)(p);
        if (cpe)
            c.cpe = cpe;
        for (const alt of moreCpes)
            c.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('syft:cpe23', alt));
        c.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('syft:package:foundBy', p.foundBy));
        c.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('syft:package:type', p.type));
        c.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('syft:location:0:layerID', p.layer));
        c.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('syft:location:0:path', p.path));
        components.set(p, c);
        bom.components.add(c);
    }
    for (const { from, to } of relationships) {
        const a = components.get(from);
        const b = components.get(to);
        if (a && b && a !== b)
            a.dependencies.add(b.bomRef);
    }
    const serializer = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Serialize.JsonSerializer(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Serialize.JSON.Normalize.Factory(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Spec.Spec1dot6));
    const json = serializer.serialize(bom, { sortLists: true });
    return { document: JSON.parse(json), json, componentCount: bom.components.size };
}
// The SBOM attested on a multi-platform index: the index as the subject and
// one container component per platform image it lists. Each platform's
// packages are in that platform's own SBOM, attested on its own digest.
function buildCycloneDxIndexDocument(index, platforms) {
    const bom = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Bom({ serialNumber: serialNumber(index, []) });
    bom.metadata.timestamp = new Date();
    bom.metadata.tools.components.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Component(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Enums.ComponentType.Application, _types_js__WEBPACK_IMPORTED_MODULE_4__/* .TOOL */ .j));
    const root = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Component(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Enums.ComponentType.Container, index.name, {
        version: index.digest,
        purl: (0,_spdx_js__WEBPACK_IMPORTED_MODULE_3__/* .imagePurl */ .X6)(index),
        bomRef: `${index.name}@${index.digest}`,
    });
    bom.metadata.component = root;
    for (const p of platforms) {
        const c = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Component(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Enums.ComponentType.Container, p.name, {
            version: p.digest,
            purl: (0,_spdx_js__WEBPACK_IMPORTED_MODULE_3__/* .imagePurl */ .X6)(p),
            bomRef: `${p.name}@${p.digest}`,
        });
        if (p.platform)
            c.properties.add(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Models.Property('sign-attest:platform', p.platform));
        bom.components.add(c);
        root.dependencies.add(c.bomRef);
    }
    const serializer = new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Serialize.JsonSerializer(new _cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Serialize.JSON.Normalize.Factory(_cyclonedx_cyclonedx_library__WEBPACK_IMPORTED_MODULE_1__.Spec.Spec1dot6));
    const json = serializer.serialize(bom, { sortLists: true });
    return { document: JSON.parse(json), json, componentCount: bom.components.size };
}
// The library's JsonStrictValidator(1.6) check, precompiled at build time
// (scripts/gen-cyclonedx-validator.mjs): same schema, options and formats,
// without compiling the schema on every run (~400 ms). A chunk of its own
// (~1 MB of code), loaded only when a document is checked: the documents of
// large images are not (see generate.ts).
async function validateCycloneDx(json) {
    const { validate: checkBom16 } = await __webpack_require__.e(/* import() */ 796).then(__webpack_require__.bind(__webpack_require__, 9796));
    const errors = checkBom16(JSON.parse(json)) ? null : checkBom16.errors;
    return errors === null ? undefined : JSON.stringify(errors).slice(0, 500);
}


/***/ })

};
