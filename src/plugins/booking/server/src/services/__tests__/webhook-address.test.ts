import { hostRefusedAsWritten, isPublicAddress, PrivateAddressError, publicOnlyLookup, urlRefusedAtSave } from '../webhook-address';

describe('webhook addresses', () => {
  test.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0x7f.0.0.1/',
    'http://0177.0.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://2852039166/',
    'http://[fe80::1]/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://172.31.255.255/',
    'http://192.168.1.1/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://[ff02::1]/',
    'http://0.0.0.0/',
    'http://0/',
    'http://[::]/',
    'http://255.255.255.255/',
    'http://[2002:7f00:1::]/',
    'http://[64:ff9b::7f00:1]/',
    'http://localhost:1337/',
    'http://LOCALHOST./',
    'http://admin.localhost/',
  ])('%s is refused as written', (url) => {
    expect(hostRefusedAsWritten(new URL(url))).toBe(true);
  });

  test.each([
    'https://93.184.215.14/hook',
    'http://[2606:4700::6810:84e5]/',
    'https://172.32.0.1/',
    'https://100.128.0.1/',
    'https://hooks.example.com/x',
  ])('%s is not refused as written', (url) => {
    expect(hostRefusedAsWritten(new URL(url))).toBe(false);
  });

  test('an address that is not an IP is not public', () => {
    expect(isPublicAddress('not-an-ip')).toBe(false);
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
  });

  test('at save, a name that resolves to loopback is refused; one that does not resolve is let through', async () => {
    expect(await urlRefusedAtSave(new URL('http://localhost/'))).toBe(true);
    expect(await urlRefusedAtSave(new URL('https://does-not-exist.invalid/'))).toBe(false);
  });

  test('the delivery lookup refuses a name that resolves to loopback, whatever form the caller asks', async () => {
    const ask = (all: boolean) => new Promise<unknown>((resolve) => publicOnlyLookup('localhost', { all }, (error) => resolve(error)));
    expect(await ask(true)).toBeInstanceOf(PrivateAddressError);
    expect(await ask(false)).toBeInstanceOf(PrivateAddressError);
  });
});
