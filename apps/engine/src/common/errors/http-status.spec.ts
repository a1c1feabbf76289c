import { ErrorCode, values } from '@kelpie/shared-types';
import { CODE_BY_HTTP_STATUS, HTTP_STATUS_BY_CODE } from './http-status';

describe('error codes to HTTP statuses: one exhaustive table', () => {
  it('maps every error code, and nothing else', () => {
    expect(Object.keys(HTTP_STATUS_BY_CODE).sort()).toEqual([...values(ErrorCode)].sort());
  });

  it.each(values(ErrorCode))('%s is a 4xx or a 5xx', (code) => {
    const status = HTTP_STATUS_BY_CODE[code];
    expect(Number.isInteger(status)).toBe(true);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
  });

  it('only internal and the outages the client may retry are 5xx', () => {
    const fiveHundreds = values(ErrorCode).filter((c) => HTTP_STATUS_BY_CODE[c] >= 500);
    expect(fiveHundreds.sort()).toEqual(
      [
        ErrorCode.HostUnavailable,
        ErrorCode.DatabaseUnavailable,
        ErrorCode.IdentityProviderUnavailable,
        ErrorCode.Timeout,
        ErrorCode.Internal,
      ].sort(),
    );
  });

  it('a framework 4xx gets a code whose own status is a 4xx too', () => {
    for (const [status, code] of Object.entries(CODE_BY_HTTP_STATUS)) {
      expect(Number(status)).toBeLessThan(500);
      expect(HTTP_STATUS_BY_CODE[code]).toBeLessThan(500);
    }
  });
});
