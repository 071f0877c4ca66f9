import { queryCrossings, type ReachAttribute } from '../query-reach';

const rel = (target: string): ReachAttribute => ({ type: 'relation', target });
const SCHEMAS: Record<string, Record<string, ReachAttribute>> = {
  scan: { label: { type: 'string' }, performance: rel('performance'), reservation: rel('reservation'), scanned_by: rel('admin::user') },
  performance: { starts_at: { type: 'datetime' }, show: rel('show') },
  show: { title: { type: 'string' } },
  reservation: { email: { type: 'email' }, performance: rel('performance') },
  'admin::user': { email: { type: 'email' } },
};
const reach = (query: Record<string, unknown>, uid = 'scan') =>
  queryCrossings((u) => SCHEMAS[u], uid, query)
    .map((c) => `${c.path}>${c.target}`)
    .sort();

describe('queryCrossings: every relation a Content Manager query crosses', () => {
  test('populate as *, a list, dotted paths and nested objects', () => {
    expect(reach({ populate: '*' })).toEqual(['performance>performance', 'reservation>reservation', 'scanned_by>admin::user']);
    expect(reach({ populate: 'performance,reservation.performance.show' })).toEqual([
      'performance>performance',
      'reservation.performance.show>show',
      'reservation.performance>performance',
      'reservation>reservation',
    ]);
    expect(reach({ populate: ['scanned_by'] })).toEqual(['scanned_by>admin::user']);
    expect(reach({ populate: { performance: { populate: { show: true } }, reservation: { fields: ['email'] } } })).toEqual([
      'performance.show>show',
      'performance>performance',
      'reservation>reservation',
    ]);
    expect(reach({ populate: { performance: { populate: '*' } } })).toEqual(['performance.show>show', 'performance>performance']);
  });

  test('filters through relations, inside $and, $or and $not, and filters nested in a populate', () => {
    expect(reach({ filters: { reservation: { email: { $contains: 'a' } } } })).toEqual(['reservation>reservation']);
    expect(reach({ filters: { $and: [{ label: 'x' }, { $or: [{ scanned_by: { email: { $eq: 'x' } } }] }] } })).toEqual([
      'scanned_by>admin::user',
    ]);
    expect(reach({ filters: { $not: { performance: { show: { title: 'x' } } } } })).toEqual([
      'performance.show>show',
      'performance>performance',
    ]);
    expect(reach({ populate: { performance: { filters: { show: { title: 'x' } } } } })).toEqual([
      'performance.show>show',
      'performance>performance',
    ]);
  });

  test('sort as strings, lists and objects', () => {
    expect(reach({ sort: 'reservation.email:asc' })).toEqual(['reservation>reservation']);
    expect(reach({ sort: ['label:desc', 'scanned_by.email'] })).toEqual(['scanned_by>admin::user']);
    expect(reach({ sort: { performance: { show: { title: 'asc' } } } })).toEqual(['performance.show>show', 'performance>performance']);
  });

  test('scalars, unknown keys and unknown types cross nothing', () => {
    expect(reach({ populate: 'label,nothing.here', filters: { label: { $eq: 'x' }, ghost: { email: 'x' } }, sort: 'label' })).toEqual([]);
    expect(reach({ populate: '*' }, 'no-such-type')).toEqual([]);
    expect(reach({})).toEqual([]);
  });
});
