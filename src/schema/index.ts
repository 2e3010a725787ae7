import type { ElementPath } from '../contract/index.js';
import type { AttributeDef } from './attribute.js';
import { type FtpsSchema, ftpsSchema } from './ftps.js';

export { ftpsSchema, type FtpsSchema } from './ftps.js';
export type { AttributeDef, ElementDef, Format } from './attribute.js';

export type ElementName = keyof FtpsSchema & string;
export type AttributeName<E extends ElementName> = keyof FtpsSchema[E]['attributes'] & string;

type ValueOf<D> = D extends AttributeDef<infer T> ? T : never;

/** The canonical values of one element's attributes, inferred from the schema. */
export type ElementValues<E extends ElementName> = { [A in AttributeName<E>]: ValueOf<FtpsSchema[E]['attributes'][A]> };

type SettingNameOf<E extends ElementName, A extends AttributeName<E>> = FtpsSchema[E] extends {
  settingNames: { [K in A]: infer S extends string };
}
  ? S
  : A;

type SettingEntries = {
  [E in ElementName]: { [A in AttributeName<E>]: [SettingNameOf<E, A>, ValueOf<FtpsSchema[E]['attributes'][A]>] }[AttributeName<E>];
}[ElementName];

/** Every setting by its flat name (`clientCertificatePolicy`, ..., `clientCertAuthentication`). */
export type SettingValues = { [P in SettingEntries as P[0]]: P[1] };
export type SettingName = keyof SettingValues & string;

/** One setting: where it lives and how it is typed. */
export interface SettingDef {
  readonly name: SettingName;
  readonly element: ElementName;
  readonly attribute: string;
  readonly path: readonly string[];
  readonly def: AttributeDef<unknown>;
  /** The CLI option, `--client-certificate-policy`. */
  readonly option: string;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/(\d+)/g, '$1');

/** Every setting in schema order. */
export const settings: readonly SettingDef[] = Object.entries(ftpsSchema).flatMap(([element, el]) =>
  Object.entries(el.attributes).map(([attribute, def]) => {
    const names = ('settingNames' in el ? el.settingNames : {}) as Record<string, string>;
    const name = (names[attribute] ?? attribute) as SettingName;
    return { name, element: element as ElementName, attribute, path: el.path, def: def as AttributeDef<unknown>, option: kebab(name) };
  }),
);

export const elementNames = Object.keys(ftpsSchema) as ElementName[];

/** The element paths a backend is asked to read. */
export const elementPaths: readonly ElementPath[] = elementNames.map((element) => ({ element, path: ftpsSchema[element].path }));

const byUpperName = new Map(settings.map((s) => [s.name.toUpperCase(), s] as const));
const byOption = new Map(settings.map((s) => [s.option, s] as const));

/** Finds a setting by its name (any case), its CLI option (with or without `--`), or `element.attribute`. */
export function findSetting(name: string): SettingDef | undefined {
  const t = name.trim();
  const dotted = /^(\w+)\.(\w+)$/.exec(t);
  if (dotted) return settings.find((s) => s.element.toUpperCase() === dotted[1]!.toUpperCase() && s.attribute.toUpperCase() === dotted[2]!.toUpperCase());
  return byUpperName.get(t.toUpperCase()) ?? byOption.get(t.replace(/^--/, '').toLowerCase());
}

export const settingNames: readonly SettingName[] = settings.map((s) => s.name);
