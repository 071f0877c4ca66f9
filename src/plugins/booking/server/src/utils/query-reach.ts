/**
 * Where a Content Manager query leads: every relation its `populate`, `filters` and `sort` cross,
 * with the type at the other end. Strapi's admin sanitizer checks a role's fields on the type it
 * asked for only; a relation the role may read is followed into its target whatever the role may
 * read there. middlewares/content-manager-reach.ts refuses a query that crosses into a type the
 * role may not read. Pure: the schemas come in as a lookup.
 */

export interface ReachAttribute {
  type: string;
  target?: string;
}
/** The attributes of a type by uid, or undefined for a type that does not exist. */
export type SchemaLookup = (uid: string) => Record<string, ReachAttribute> | undefined;

export interface Crossing {
  /** Dotted path of attributes from the queried type. */
  path: string;
  /** The relation's target type. */
  target: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys of a populate entry that hold a nested query on the relation's target. */
const NESTED_KEYS = ['populate', 'filters', 'sort'] as const;

const relationOf = (schemas: SchemaLookup, uid: string, key: string): string | undefined => {
  const attribute = schemas(uid)?.[key];
  return attribute?.type === 'relation' && attribute.target ? attribute.target : undefined;
};

/**
 * The relations crossed by `query` (`{ populate?, filters?, sort? }`) asked on `uid`, at most
 * `depth` relations deep (deeper is treated as crossing nothing more: Strapi's own limit on a
 * query's nesting is lower).
 */
export const queryCrossings = (schemas: SchemaLookup, uid: string, query: Record<string, unknown>, depth = 12): Crossing[] => {
  const found: Crossing[] = [];
  const cross = (from: string, key: string, prefix: string): string | undefined => {
    const target = relationOf(schemas, from, key);
    if (target) found.push({ path: prefix ? `${prefix}.${key}` : key, target });
    return target;
  };

  const walkPath = (from: string, dotted: string, prefix: string, level: number) => {
    let current: string | undefined = from;
    let path = prefix;
    for (const key of dotted.split('.')) {
      if (!current || level > depth) return;
      if (key === '*') {
        for (const name of Object.keys(schemas(current) ?? {})) cross(current, name, path);
        return;
      }
      current = cross(current, key, path);
      path = path ? `${path}.${key}` : key;
      level += 1;
    }
  };

  const walkPopulate = (from: string, populate: unknown, prefix: string, level: number): void => {
    if (level > depth || populate === undefined || populate === null || populate === false) return;
    if (typeof populate === 'string') {
      for (const part of populate.split(',')) walkPath(from, part.trim(), prefix, level);
      return;
    }
    if (Array.isArray(populate)) {
      for (const item of populate) walkPopulate(from, item, prefix, level);
      return;
    }
    if (!isObject(populate)) return;
    for (const [key, value] of Object.entries(populate)) {
      const target = key === '*' ? undefined : cross(from, key, prefix);
      if (key === '*') walkPath(from, '*', prefix, level);
      if (!target || !isObject(value)) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      for (const nested of NESTED_KEYS) {
        if (!(nested in value)) continue;
        if (nested === 'populate') walkPopulate(target, value.populate, path, level + 1);
        if (nested === 'filters') walkFilters(target, value.filters, path, level + 1);
        if (nested === 'sort') walkSort(target, value.sort, path, level + 1);
      }
    }
  };

  const walkFilters = (from: string, filters: unknown, prefix: string, level: number): void => {
    if (level > depth) return;
    if (Array.isArray(filters)) {
      for (const item of filters) walkFilters(from, item, prefix, level);
      return;
    }
    if (!isObject(filters)) return;
    for (const [key, value] of Object.entries(filters)) {
      // $and, $or, $not: the same type, one level of logic down.
      if (key.startsWith('$')) {
        walkFilters(from, value, prefix, level);
        continue;
      }
      const target = cross(from, key, prefix);
      if (target) walkFilters(target, value, prefix ? `${prefix}.${key}` : key, level + 1);
    }
  };

  const walkSort = (from: string, sort: unknown, prefix: string, level: number): void => {
    if (level > depth) return;
    if (typeof sort === 'string') {
      for (const part of sort.split(',')) walkPath(from, part.split(':')[0].trim(), prefix, level);
      return;
    }
    if (Array.isArray(sort)) {
      for (const item of sort) walkSort(from, item, prefix, level);
      return;
    }
    if (!isObject(sort)) return;
    for (const [key, value] of Object.entries(sort)) {
      const target = cross(from, key, prefix);
      if (target) walkSort(target, value, prefix ? `${prefix}.${key}` : key, level + 1);
    }
  };

  walkPopulate(uid, query.populate, '', 0);
  walkFilters(uid, query.filters, '', 0);
  walkSort(uid, query.sort, '', 0);
  return found;
};
