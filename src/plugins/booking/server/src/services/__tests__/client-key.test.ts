import { clientKey } from '../rate-limit';

describe('the key public POSTs are counted under', () => {
  test('an IPv4 address as it is, also when mapped into IPv6', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  test('every address of one IPv6 /64 shares a key', () => {
    const key = clientKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const ip of [
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0:0:0:abcd',
      '2001:DB8:1:2:a:b:c:d',
      '2001:db8:1:2::1%eth0',
    ]) {
      expect(clientKey(ip)).toBe(key);
    }
  });

  test('another /64 has another key', () => {
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  test('a source port written with the address does not make a key of its own', () => {
    expect(clientKey('1.2.3.4:5678')).toBe('1.2.3.4');
    expect(clientKey('1.2.3.4:80')).toBe(clientKey('1.2.3.4'));
    expect(clientKey('[2001:db8::1]:443')).toBe('2001:db8:0:0::/64');
    expect(clientKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(clientKey('[::ffff:203.0.113.9]:1234')).toBe('203.0.113.9');
    // A bare IPv6 address ends in a group, not a port.
    expect(clientKey('2001:db8:1:2::5678')).toBe('2001:db8:1:2::/64');
  });

  test('anything else is kept as it is', () => {
    expect(clientKey('')).toBe('');
    expect(clientKey('unknown')).toBe('unknown');
  });
});
