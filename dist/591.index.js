export const id = 591;
export const ids = [591];
export const modules = {

/***/ 4591:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderBom: () => (/* binding */ renderBom)
/* harmony export */ });
/* harmony import */ var _cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6820);
/* harmony import */ var _cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _cyclonedx_cyclonedx_library_Contrib_License__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4909);
/* harmony import */ var _cyclonedx_cyclonedx_library_Contrib_License__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(_cyclonedx_cyclonedx_library_Contrib_License__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(320);
/* harmony import */ var _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(_cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _cyclonedx_cyclonedx_library_Serialize__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1248);
/* harmony import */ var _cyclonedx_cyclonedx_library_Serialize__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(_cyclonedx_cyclonedx_library_Serialize__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _cyclonedx_cyclonedx_library_Spec__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4321);
/* harmony import */ var _cyclonedx_cyclonedx_library_Spec__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(_cyclonedx_cyclonedx_library_Spec__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var packageurl_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7091);
/* harmony import */ var packageurl_js__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(packageurl_js__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var spdx_expression_parse__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3326);
/* harmony import */ var spdx_expression_parse__WEBPACK_IMPORTED_MODULE_6___default = /*#__PURE__*/__webpack_require__.n(spdx_expression_parse__WEBPACK_IMPORTED_MODULE_6__);
/**
 * The inventory as a CycloneDX 1.6 JSON document, with the CycloneDX library's models and serializer
 * and packageurl-js's package URLs. Imported only when a build writes an SBOM (src/sbom/index.ts), so
 * ncc keeps these libraries in a chunk of their own (docs/performance.md, cold start).
 *
 * The same inventory gives the same bytes on any runner: every list in an order made here (code-point
 * order, never the locale's), no timestamp, the serial number derived from the layer's hashes, every
 * bom-ref chosen here (the serializer would make random ones for duplicates).
 */







const NS = 'lambda-layer-release';
const licenceFactory = new _cyclonedx_cyclonedx_library_Contrib_License__WEBPACK_IMPORTED_MODULE_1__.Factories.LicenseFactory((expression) => {
    spdx_expression_parse__WEBPACK_IMPORTED_MODULE_6___default()(expression);
});
function renderBom(inventory, layer) {
    const refs = new BomRefs();
    const bom = new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Bom({ serialNumber: layer.serialNumber });
    const root = layerComponent(layer);
    bom.metadata.component = root;
    bom.metadata.tools.components.add(new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Component(_cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__.ComponentType.Application, layer.tool.name, { version: layer.tool.version }));
    const licences = [];
    const components = [];
    for (const p of inventory.packages) {
        const component = packageComponent(p, refs);
        licences.push([...component.licenses].map(licenceLabel));
        for (const bundled of p.bundled ?? []) {
            component.components.add(packageComponent({ ...bundled, paths: [bundled.path], native: [] }, refs, p.path));
        }
        components.push(component);
    }
    for (const file of inventory.files)
        components.push(fileComponent(file.path, refs, file));
    // In code-point order of their bom-refs: the library's own sorting compares with localeCompare, whose
    // order depends on the runner's locale (da_DK sorts "aab" after "zeta"), so nothing is left to it.
    components.sort((a, b) => (a.bomRef.value < b.bomRef.value ? -1 : 1));
    for (const component of components) {
        bom.components.add(component);
        root.dependencies.add(component.bomRef);
    }
    const serializer = new _cyclonedx_cyclonedx_library_Serialize__WEBPACK_IMPORTED_MODULE_3__.JsonSerializer(new _cyclonedx_cyclonedx_library_Serialize__WEBPACK_IMPORTED_MODULE_3__.JSON.Normalize.Factory(_cyclonedx_cyclonedx_library_Spec__WEBPACK_IMPORTED_MODULE_4__.Spec1dot6));
    return { json: `${serializer.serialize(bom, { sortLists: false, space: 2 })}\n`, licences };
}
function layerComponent(layer) {
    const properties = new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.PropertyRepository([
        ...layer.runtimes.map((runtime) => new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:compatible-runtime`, runtime)),
        new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:compatible-architecture`, layer.architecture),
        new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:code-sha256`, layer.codeSha256),
        new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:content-hash`, layer.contentHash),
        ...(layer.buildKey ? [new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:build-key`, layer.buildKey)] : []),
    ]);
    const component = new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Component(_cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__.ComponentType.Library, layer.name, {
        bomRef: `${NS}:layer`,
        hashes: new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.HashDictionary([[_cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__.HashAlgorithm['SHA-256'], layer.zipSha256]]),
        properties,
    });
    if (layer.licenseInfo)
        component.licenses.add(licenceFactory.makeFromString(layer.licenseInfo));
    return component;
}
function packageComponent(p, refs, inside) {
    const purl = packageUrl(p);
    const component = new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Component(_cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__.ComponentType.Library, p.name, {
        ...(p.group ? { group: p.group } : {}),
        ...(p.version ? { version: p.version } : {}),
        ...(purl ? { purl } : {}),
        bomRef: refs.take(inside ? `${purl ?? p.name}@${inside}` : (purl ?? `${p.ecosystem}:${p.path}`)),
        properties: new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.PropertyRepository(p.paths.map((where) => new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:path`, where))),
    });
    if (p.sha256)
        component.hashes.set(_cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__.HashAlgorithm['SHA-256'], p.sha256);
    // Several licences of one package are listed each on its own (the schema allows one expression alone).
    const several = p.licences.length > 1;
    for (const licence of p.licences) {
        component.licenses.add(several ? licenceFactory.makeDisjunctive(licence) : licenceFactory.makeFromString(licence));
    }
    for (const file of p.native)
        component.components.add(fileComponent(file.path, refs, { native: file }));
    return component;
}
function fileComponent(file, refs, facts) {
    const component = new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Component(_cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__.ComponentType.File, file, {
        bomRef: refs.take(`file:${file}`),
        properties: new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.PropertyRepository(elfProperties(facts.native)),
    });
    if (facts.sha256)
        component.hashes.set(_cyclonedx_cyclonedx_library_Enums__WEBPACK_IMPORTED_MODULE_0__.HashAlgorithm['SHA-256'], facts.sha256);
    return component;
}
function elfProperties(native) {
    if (!native)
        return [];
    return [
        new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:elf:type`, native.type),
        new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:elf:machine`, native.machine),
        ...(native.glibc ? [new _cyclonedx_cyclonedx_library_Models__WEBPACK_IMPORTED_MODULE_2__.Property(`${NS}:elf:glibc`, native.glibc)] : []),
    ];
}
/** pkg:pypi/numpy@2.2.6, pkg:npm/%40types/node@22.1.0, pkg:maven/org.apache.commons/commons-text@1.13.1, pkg:gem/rack@3.1.8 */
function packageUrl(p) {
    // A Maven artifact is named by its group: a jar known only by its file name has no package URL.
    if (p.ecosystem === 'maven' && !p.group)
        return undefined;
    try {
        return new packageurl_js__WEBPACK_IMPORTED_MODULE_5__.PackageURL(p.ecosystem, p.group, p.name, p.version, p.qualifiers, undefined).toString();
    }
    catch {
        return undefined;
    }
}
function licenceLabel(licence) {
    if ('expression' in licence)
        return licence.expression;
    return 'id' in licence ? licence.id : licence.name;
}
/** bom-refs unique within the document: a second use of one gets `#2`, and so on, in document order. */
class BomRefs {
    taken = new Map();
    take(ref) {
        const count = (this.taken.get(ref) ?? 0) + 1;
        this.taken.set(ref, count);
        return count === 1 ? ref : `${ref}#${count}`;
    }
}


/***/ })

};
