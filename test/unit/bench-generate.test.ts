import { strict as assert } from 'node:assert';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { elementPaths } from '../../src/schema/index.js';
import { generateConfig } from '../../bench/generate.js';
import { writeTemp } from '../support/fixture.js';

describe('bench configuration generator', () => {
  it('gives the same bytes for the same seed, and different ones for another', () => {
    assert.equal(generateConfig({ sites: 300 }).text, generateConfig({ sites: 300 }).text);
    assert.notEqual(generateConfig({ sites: 300, seed: 1 }).text, generateConfig({ sites: 300, seed: 2 }).text);
  });

  it('writes a well-formed applicationHost.config in the shape IIS writes: CRLF only, comments, siteDefaults', () => {
    const g = generateConfig({ sites: 600 });
    assert.ok(g.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n'));
    assert.equal(g.text.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF');
    assert.match(g.text, /<!-- Customers 250 to 499/);
    assert.match(g.text, /<siteDefaults>/);
    assert.match(g.text, /Smith &amp; Sons/);
  });

  it('mixes FTP and web sites, full FTPS blocks and bare ones, as its counts say', async () => {
    const g = generateConfig({ sites: 1000 });
    const snap = await new XmlBackend({ path: writeTemp(g.text) }).read({ elements: elementPaths, allSites: true });
    assert.equal(snap.sites.length, 1000);
    const ftp = snap.sites.filter((s) => s.protocols.includes('ftp'));
    assert.equal(ftp.length, g.ftpSites);
    assert.ok(g.ftpSites > 600 && g.ftpSites < 900, `${g.ftpSites} FTP sites`);
    assert.ok(snap.sites.some((s) => s.protocols.includes('http') && !s.protocols.includes('ftp')));
    assert.ok(snap.sites.some((s) => s.protocols.includes('http') && s.protocols.includes('ftp')));
    const full = ftp.filter((s) => s.elements['clientCertAuthentication']?.['enabled'] === 'true');
    assert.equal(full.length, g.fullFtps);
    assert.ok(ftp.some((s) => Object.keys(s.elements['ssl'] ?? {}).length === 0), 'some FTP sites have no ssl element');
    assert.ok(snap.sites.some((s) => s.name === g.middleSite));
  });
});
