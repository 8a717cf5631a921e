import { tiedComponents } from './group-linking';

describe('tiedComponents', () => {
  it.each<[string, [string, string][], string[][]]>([
    ['no ties', [], []],
    ['one tie', [['b', 'a']], [['a', 'b']]],
    [
      'a chain through a shared link',
      [
        ['a', 'b'],
        ['c', 'b'],
      ],
      [['a', 'b', 'c']],
    ],
    [
      'two separate pairs',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'pairs joined later',
      [
        ['a', 'b'],
        ['c', 'd'],
        ['d', 'a'],
      ],
      [['a', 'b', 'c', 'd']],
    ],
  ])('%s', (_, ties, expected) => expect(tiedComponents(ties)).toEqual(expected));
});
