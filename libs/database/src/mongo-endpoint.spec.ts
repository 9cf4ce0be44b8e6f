import { mongoHosts } from './mongo-endpoint';

describe('mongoHosts', () => {
  it('names the hosts of a connection string without its credentials', () => {
    expect(mongoHosts('mongodb://admin:s3cret@db1:27017,db2:27017/app?authSource=admin')).toBe(
      'db1:27017,db2:27017',
    );
    expect(mongoHosts('mongodb+srv://cluster0.example.net/app')).toBe('cluster0.example.net');
  });
});
