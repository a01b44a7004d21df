import { describe, expect, it } from 'vitest';
import { deviceName } from './device-name.js';

describe('deviceName', () => {
  it('names Chrome on Linux (including headless Chromium)', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36';
    expect(deviceName(ua)).toEqual({ browser: 'Chrome', os: 'Linux' });
  });

  it('names Edge before Chrome and Safari, which it also claims to be', () => {
    const ua =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91';
    expect(deviceName(ua)).toEqual({ browser: 'Edge', os: 'Windows' });
  });

  it('names Safari on iOS, not macOS', () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';
    expect(deviceName(ua)).toEqual({ browser: 'Safari', os: 'iOS' });
  });

  it('names Firefox on Android, not Linux', () => {
    expect(deviceName('Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0')).toEqual({
      browser: 'Firefox',
      os: 'Android',
    });
  });

  it('answers unknown for an empty or unrecognised agent', () => {
    expect(deviceName('')).toEqual({ browser: null, os: null });
    expect(deviceName('SomeBot/1.0')).toEqual({ browser: null, os: null });
  });
});
