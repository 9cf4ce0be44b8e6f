import { withDatabaseName } from './database-name';

describe('withDatabaseName', () => {
  it('replaces or adds the database path and keeps hosts, credentials and options', () => {
    expect(withDatabaseName('mongodb://u:p@h1:1,h2:2/app?replicaSet=rs', 't1')).toBe(
      'mongodb://u:p@h1:1,h2:2/t1?replicaSet=rs',
    );
    expect(withDatabaseName('mongodb://localhost:27017', 't2')).toBe(
      'mongodb://localhost:27017/t2',
    );
    expect(withDatabaseName('mongodb+srv://c.example.net/?retryWrites=true', 't3')).toBe(
      'mongodb+srv://c.example.net/t3?retryWrites=true',
    );
  });
});
