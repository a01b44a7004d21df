/** Export of my data (J7): ask for an export (its answer has the download link) and list them. */
import type { DataExport, DataExportList } from '@parley/protocol';
import type { HttpClient } from './http.js';

export function exportsApi(http: HttpClient) {
  return {
    request: () => http.request<DataExport>('POST', '/api/v1/users/me/exports'),
    list: () => http.request<DataExportList>('GET', '/api/v1/users/me/exports'),
  };
}
