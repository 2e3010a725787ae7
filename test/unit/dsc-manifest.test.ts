/**
 * The DSC v3 resource manifest (iis-ftps.dsc.resource.json): the shipped file is what the
 * generator writes, its shape is that of Microsoft's command-resource manifest schema, its embedded
 * instance schema compiles in a real JSON Schema validator (ajv, draft 2020-12) and accepts and
 * refuses exactly what the zod instance schema the CLI parses with does.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { DSC_MANIFEST } from '../../scripts/build-dsc-manifest.js';
import { formatTimeSpan, thumbprintCodec, timeSpanCodec } from '../../src/codecs/index.js';
import { DSC_EXIT_CODES, dscExitCode } from '../../src/dsc/exit-codes.js';
import { dscManifest, dscManifestText } from '../../src/dsc/manifest.js';
import { instanceSchema } from '../../src/dsc/schema.js';
import { ERROR_CODES } from '../../src/errors/errors.js';
import { settings } from '../../src/schema/index.js';

type Json = Record<string, any>;
const manifest = JSON.parse(readFileSync(DSC_MANIFEST, 'utf8')) as Json;
const embedded = manifest['schema']['embedded'] as Json;
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true }) // strictRequired would want each oneOf branch to repeat the properties it requires; the object above defines them;
const validate = ajv.compile(embedded);

describe('DSC v3 manifest', () => {
  it('is what `npm run build:dsc` writes from src/dsc (the embedded schema generated from the zod schema)', () => {
    assert.equal(readFileSync(DSC_MANIFEST, 'utf8'), dscManifestText(), 'iis-ftps.dsc.resource.json is stale: run npm run build:dsc');
  });

  it('has the fields of a command-resource manifest: $schema, type, version, the four operations on stdin', () => {
    assert.equal(manifest['$schema'], 'https://aka.ms/dsc/schemas/v3/bundled/resource/manifest.json');
    // A fully qualified type name: Owner[.Group][.Area]/Name.
    assert.match(manifest['type'], /^\w+(\.\w+){0,2}\/\w+$/);
    assert.equal(manifest['type'], 'IisFtps/Setting');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(manifest['version'], pkg.version);
    assert.match(manifest['version'], /^\d+\.\d+\.\d+(-[\w.]+)?$/);
    for (const op of ['get', 'set', 'test', 'export']) {
      const m = manifest[op] as Json;
      assert.equal(m['executable'], 'iis-ftps', op);
      assert.deepEqual(m['args'].slice(0, 2), ['dsc', op], op);
      assert.equal(m['input'], 'stdin', op);
      assert.equal(m['requireSecurityContext'], 'elevated', op);
    }
    assert.equal(manifest['set']['implementsPretest'], true);
    assert.equal(manifest['set']['return'], 'stateAndDiff');
    assert.equal(manifest['test']['return'], 'stateAndDiff');
    assert.deepEqual(manifest['set']['args'].slice(2), [{ whatIfArg: '--what-if' }]);
    assert.deepEqual(Object.keys(manifest).sort(), ['$schema', 'description', 'exitCodes', 'export', 'get', 'schema', 'set', 'tags', 'test', 'type', 'version']);
  });

  it('declares every exit code the command uses, each with a description, 0 for success', () => {
    const codes = manifest['exitCodes'] as Record<string, string>;
    assert.deepEqual(Object.keys(codes), Object.keys(DSC_EXIT_CODES));
    for (const [code, text] of Object.entries(codes)) {
      assert.match(code, /^-?\d+$/);
      assert.ok(text.length >= (code === '0' ? 5 : 40), `exit code ${code} needs a description`);
    }
    assert.equal(codes['0'], 'Success.');
    for (const code of ERROR_CODES) assert.ok(String(dscExitCode(code)) in codes, code);
    assert.notEqual(dscExitCode('SITE_NOT_FOUND'), 0);
    assert.equal(dscExitCode('INVALID_VALUE'), 2);
    assert.equal(dscExitCode(undefined), 1);
  });

  it('documents every exit code in docs/dsc.md as the manifest says it, with the error codes that lead to it', () => {
    const doc = readFileSync(new URL('../../docs/dsc.md', import.meta.url), 'utf8');
    for (const [code, text] of Object.entries(DSC_EXIT_CODES)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| ${code} | ${text} |`));
      assert.ok(row, `docs/dsc.md has no row for exit code ${code} with the manifest's description`);
      for (const e of ERROR_CODES.filter((c) => String(dscExitCode(c)) === code)) {
        assert.ok(row.includes(`\`${e}\``) || (e.startsWith('XML_') && row.includes('`XML_*`')), `exit code ${code}'s row names ${e}`);
      }
    }
  });

  it('embeds a draft 2020-12 object schema with a property per setting, the target keys and _inDesiredState read-only', () => {
    assert.equal(embedded['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(embedded['type'], 'object');
    assert.equal(embedded['additionalProperties'], false);
    assert.deepEqual(Object.keys(embedded['properties']), ['site', 'siteId', 'siteDefaults', 'configPath', ...settings.map((s) => s.name), '_inDesiredState']);
    assert.equal(embedded['properties']['_inDesiredState']['readOnly'], true);
    assert.deepEqual(embedded['oneOf'], [{ required: ['site'] }, { required: ['siteId'] }, { required: ['siteDefaults'] }]);
    // Enum names come from the schema, not from a copy.
    const ccp = embedded['$defs']['clientCertificatePolicy'] as Json;
    assert.deepEqual(ccp['anyOf'][0]['enum'], settings.find((s) => s.name === 'clientCertificatePolicy')!.def.names);
    assert.equal(dscManifest()['type'], manifest['type']);
  });

  const cases: [string, unknown, boolean][] = [
    ['a site with one setting', { site: 'Public Drop', clientCertificatePolicy: 'CertRequire' }, true],
    ['a site id', { siteId: 3, validationFlags: ['CertNoUsageCheck', 'NoRevocationCheck'] }, true],
    ['siteDefaults with null (inherit)', { siteDefaults: true, revocationFreshnessTime: null, ssl128: null }, true],
    ['a target alone', { site: 'x' }, true],
    ['every kind of value', { site: 'x', configPath: '/c', revocationUrlRetrievalTimeout: '1.02:03:04', useActiveDirectoryMapping: true, serverCertHash: '57686f6120447564652c2049495320526f636b73', serverCertStoreName: 'WebHosting', clientCertAuthentication: false, _inDesiredState: true }, true],
    ['no flags', { site: 'x', validationFlags: [] }, true],
    ['no target', { clientCertificatePolicy: 'CertRequire' }, false],
    ['two targets', { site: 'x', siteId: 2 }, false],
    ['siteDefaults false', { siteDefaults: false }, false],
    ['an empty site name', { site: '' }, false],
    ['a negative site id', { siteId: -1 }, false],
    ['a fractional site id', { siteId: 1.5 }, false],
    ['an unknown property', { site: 'x', clientCertPolicy: 'CertRequire' }, false],
    ['an enum name of the other channel', { site: 'x', controlChannelPolicy: 'SslDeny' }, false],
    ['an enum number', { site: 'x', clientCertificatePolicy: 2 }, false],
    ['an unknown flag', { site: 'x', validationFlags: ['NoCheck'] }, false],
    ['flags as text', { site: 'x', validationFlags: 'NoRevocationCheck' }, false],
    ['a time span without seconds', { site: 'x', revocationFreshnessTime: '01:00' }, false],
    ['a short thumbprint', { site: 'x', serverCertHash: 'abc' }, false],
    ['a boolean as text', { site: 'x', ssl128: 'true' }, false],
    ['empty text', { site: 'x', serverCertStoreName: '' }, false],
    ['not an object', ['site'], false],
  ];
  for (const [name, instance, valid] of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${name}, in ajv and in zod alike`, () => {
      assert.equal(validate(instance), valid, JSON.stringify(validate.errors));
      assert.equal(instanceSchema.safeParse(instance).success, valid);
    });
  }

  it('has value patterns that every canonical value matches (time spans, thumbprints)', () => {
    const span = new RegExp(embedded['$defs']['revocationFreshnessTime']['anyOf'][0]['pattern'] as string);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (ticks) => {
        const canonical = formatTimeSpan(ticks);
        const decoded = timeSpanCodec().decode(canonical);
        return span.test(canonical) && decoded.ok && decoded.value === canonical;
      }),
    );
    const hash = new RegExp(embedded['$defs']['serverCertHash']['anyOf'][0]['pattern'] as string);
    const decoded = thumbprintCodec().decode('\u200e57 68 6f 61 20 44 75 64 65 2c 20 49 49 53 20 52 6f 63 6b 73');
    assert.ok(decoded.ok && hash.test(decoded.value));
    assert.ok(!hash.test('57 68'));
  });
});
