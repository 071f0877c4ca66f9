import { foldForSearch, neutraliseCell } from '../door-list';

describe('neutraliseCell', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['+39 333', "'+39 333"],
    ['-Caio', "'-Caio"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTab', "'\tTab"],
    ['\rReturn', "'\rReturn"],
    ['Maria Rossi', 'Maria Rossi'],
    ['Anna = Bea', 'Anna = Bea'],
    ['', ''],
  ])('%j -> %j', (value, expected) => expect(neutraliseCell(value)).toBe(expected));
});

describe('foldForSearch', () => {
  test('case and accents aside', () => {
    expect(foldForSearch('Élodie ÇAĞLAR Nicolò')).toBe('elodie caglar nicolo');
  });
});
