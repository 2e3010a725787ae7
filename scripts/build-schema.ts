/**
 * Writes module/Private/schema.json: the schema of src/schema (settings, enum numbers, flag bits,
 * defaults, descriptions) and the doctor's rule ids, as data for the PowerShell module. The module
 * validates, completes and decodes from this file, so PowerShell and TypeScript accept the same
 * names. `npm run build:schema` regenerates it; a test fails when the committed file differs.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rules } from '../src/doctor/rules.js';
import { ERROR_CODES } from '../src/errors/errors.js';
import { elementNames, ftpsSchema, settings } from '../src/schema/index.js';

export const SCHEMA_JSON = fileURLToPath(new URL('../module/Private/schema.json', import.meta.url));

const pascal = (name: string): string => name[0]!.toUpperCase() + name.slice(1);

/** The schema as plain data, in schema order. */
export function schemaDocument(): unknown {
  return {
    comment: 'Generated from src/schema by `npm run build:schema`. Do not edit: a test fails when this differs from the TypeScript schema.',
    elements: elementNames.map((name) => ({ name, path: ftpsSchema[name].path, description: ftpsSchema[name].description })),
    settings: settings.map((s) => {
      const codec = s.def.codec;
      const numbers = s.def.names && codec.toNumber ? Object.fromEntries(s.def.names.map((n) => [n, codec.toNumber!((codec.type === 'flags' ? [n] : n) as never)])) : undefined;
      return {
        name: s.name,
        parameter: pascal(s.name),
        option: `--${s.option}`,
        element: s.element,
        attribute: s.attribute,
        path: s.path,
        type: codec.type,
        format: s.def.format,
        default: s.def.default,
        ...(numbers ? { [codec.type === 'flags' ? 'bits' : 'values']: numbers } : {}),
        ...(s.def.notHere ? { notHere: s.def.notHere } : {}),
        description: s.def.description,
      };
    }),
    doctorRules: rules.map((r) => ({ id: r.id, severity: r.severity, description: r.description })),
    errorCodes: ERROR_CODES,
  };
}

export const schemaText = (): string => `${JSON.stringify(schemaDocument(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_JSON, schemaText());
  console.log(`wrote ${SCHEMA_JSON}`);
}
