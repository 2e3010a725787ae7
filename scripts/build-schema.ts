/**
 * Writes module/Private/schema.json: the schema of src/schema (settings, enum numbers, flag bits,
 * defaults, descriptions), each setting's codec rules as data (src/codecs: the texts it takes, its
 * patterns, limits and messages), the INVALID_VALUE message, and the doctor's rules as data
 * (src/doctor). The module validates, completes, decodes and checks from this file alone, with
 * one generic routine per task, so PowerShell and TypeScript accept, refuse and word alike.
 * `npm run build:schema` regenerates it; a test fails when the committed file differs.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LEXICAL } from '../src/codecs/index.js';
import { CERTIFICATE_PROBLEM_LIST, PROBLEM_LIST, ruleData } from '../src/doctor/rules.js';
import { EXPIRY_WARNING_DAYS } from '../src/certificates/judge.js';
import { ERROR_CODES } from '../src/errors/errors.js';
import { elementNames, ftpsSchema, settings } from '../src/schema/index.js';
import { INVALID_VALUE_MESSAGES } from '../src/schema/validate.js';

export const SCHEMA_JSON = fileURLToPath(new URL('../module/Private/schema.json', import.meta.url));

const pascal = (name: string): string => name[0]!.toUpperCase() + name.slice(1);

/** The schema as plain data, in schema order. */
export function schemaDocument(): unknown {
  return {
    comment: 'Generated from src/schema, src/codecs and src/doctor by `npm run build:schema`. Do not edit: a test fails when this differs from the TypeScript sources.',
    lexical: LEXICAL,
    messages: INVALID_VALUE_MESSAGES,
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
        codec: codec.spec,
      };
    }),
    doctor: { problemList: PROBLEM_LIST, certificateProblemList: CERTIFICATE_PROBLEM_LIST, expiryWarningDays: EXPIRY_WARNING_DAYS },
    doctorRules: ruleData,
    errorCodes: ERROR_CODES,
  };
}

export const schemaText = (): string => `${JSON.stringify(schemaDocument(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_JSON, schemaText());
  console.log(`wrote ${SCHEMA_JSON}`);
}
