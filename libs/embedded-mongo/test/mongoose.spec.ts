import mongoose, { Schema, Types, type Connection } from 'mongoose';
import { FAST_FAIL, uniqueName } from './harness';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src';

let server: EmbeddedMongo | undefined;
let conn: Connection | undefined;

const addressSchema = new Schema(
  {
    street: { type: String, required: true },
    city: { type: String, required: true },
  },
  { _id: false },
);

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    age: { type: Number, default: 0 },
    birthDate: Date,
    logins: { type: Number, default: 0 },
    addresses: [addressSchema],
  },
  { timestamps: true },
);

const postSchema = new Schema({
  title: { type: String, required: true },
  author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
});

function models(c: Connection) {
  return {
    User: c.model('User', userSchema),
    Post: c.model('Post', postSchema),
  };
}

let User: ReturnType<typeof models>['User'];
let Post: ReturnType<typeof models>['Post'];

beforeAll(async () => {
  server = await startEmbeddedMongo({ port: 0 });
  conn = await mongoose
    .createConnection(server.uri, { ...FAST_FAIL, dbName: uniqueName('mongoose') })
    .asPromise();
  ({ User, Post } = models(conn));
  await User.init();
  await Post.init();
});

afterAll(async () => {
  await conn?.close();
  await server?.stop();
});

beforeEach(async () => {
  await User.deleteMany({});
  await Post.deleteMany({});
});

function db(): NonNullable<Connection['db']> {
  if (!conn?.db) throw new Error('not connected');
  return conn.db;
}

describe('mongoose against the embedded server', () => {
  it('Model.init() builds the schema indexes, including the unique email index', async () => {
    const indexes = await db().collection('users').indexes();
    const email = indexes.find((i) => i.name === 'email_1');
    expect(email?.key).toEqual({ email: 1 });
    expect(email?.unique).toBe(true);
  });

  it('syncIndexes drops indexes the schema does not declare and keeps declared ones', async () => {
    await db().collection('users').createIndex({ name: 1 }, { name: 'name_1' }, undefined);
    const dropped = await User.syncIndexes();
    expect(dropped).toEqual(['name_1']);
    const names = (await db().collection('users').indexes()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'email_1']);
  });

  it('create and findOne round-trip numbers, dates, timestamps and subdocument arrays', async () => {
    const birthDate = new Date('1990-05-17T00:00:00.000Z');
    const before = Date.now();
    const created = await User.create({
      email: 'ann@x.io',
      name: 'Ann',
      age: 34,
      birthDate,
      addresses: [
        { street: 'Main 1', city: 'Oslo' },
        { street: 'Side 2', city: 'Rome' },
      ],
    });
    expect(created._id).toBeInstanceOf(Types.ObjectId);
    const found = await User.findOne({ email: 'ann@x.io' });
    expect(found).not.toBeNull();
    expect(found?.id).toBe(created.id);
    expect(found?.name).toBe('Ann');
    expect(found?.age).toBe(34);
    expect(found?.logins).toBe(0);
    expect(found?.birthDate).toEqual(birthDate);
    expect(found?.addresses.map((a) => [a.street, a.city])).toEqual([
      ['Main 1', 'Oslo'],
      ['Side 2', 'Rome'],
    ]);
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(found?.updatedAt).toBeInstanceOf(Date);
    expect(found?.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await User.findOne({ 'addresses.city': 'Rome' }).then((u) => u?.email)).toBe('ann@x.io');
  });

  it('findOneAndUpdate with $inc returns the updated document and bumps updatedAt', async () => {
    const created = await User.create({ email: 'bo@x.io', name: 'Bo' });
    const updated = await User.findOneAndUpdate(
      { email: 'bo@x.io' },
      { $inc: { logins: 2 } },
      { returnDocument: 'after' },
    );
    expect(updated?.logins).toBe(2);
    expect(updated?.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    const again = await User.findOneAndUpdate({ email: 'bo@x.io' }, { $inc: { logins: 3 } });
    // by default mongoose returns the document as it was before the update
    expect(again?.logins).toBe(2);
    expect((await User.findById(created._id))?.logins).toBe(5);
  });

  it('populate resolves references across two models', async () => {
    const author = await User.create({ email: 'cy@x.io', name: 'Cy' });
    await Post.create([
      { title: 'First', author: author._id },
      { title: 'Second', author: author._id },
    ]);
    const posts = await Post.find()
      .sort({ title: 1 })
      .populate<{ author: { name: string; email: string } }>('author')
      .exec();
    expect(posts.map((p) => [p.title, p.author.name, p.author.email])).toEqual([
      ['First', 'Cy', 'cy@x.io'],
      ['Second', 'Cy', 'cy@x.io'],
    ]);
  });

  it('countDocuments counts with and without a filter', async () => {
    await User.create([
      { email: 'a@x.io', name: 'A', age: 20 },
      { email: 'b@x.io', name: 'B', age: 30 },
      { email: 'c@x.io', name: 'C', age: 40 },
    ]);
    expect(await User.countDocuments()).toBe(3);
    expect(await User.countDocuments({ age: { $gte: 30 } })).toBe(2);
  });

  it('creating a duplicate email fails with MongoServerError code 11000', async () => {
    await User.create({ email: 'dup@x.io', name: 'One' });
    let error: unknown;
    try {
      await User.create({ email: 'dup@x.io', name: 'Two' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect((error as { code?: unknown }).code).toBe(11000);
    expect((error as { keyValue?: unknown }).keyValue).toEqual({ email: 'dup@x.io' });
    expect(await User.countDocuments({ email: 'dup@x.io' })).toBe(1);
  });

  it('lean() returns plain objects with ObjectIds, Dates and nested arrays', async () => {
    await User.create({
      email: 'lean@x.io',
      name: 'Lean',
      birthDate: new Date('2000-01-01T00:00:00Z'),
      addresses: [{ street: 'S', city: 'C' }],
    });
    const doc = await User.findOne({ email: 'lean@x.io' }).lean();
    expect(doc).not.toBeNull();
    expect(doc).not.toBeInstanceOf(mongoose.Document);
    expect(doc?._id).toBeInstanceOf(Types.ObjectId);
    expect(doc?.birthDate).toEqual(new Date('2000-01-01T00:00:00Z'));
    expect(doc?.addresses).toEqual([{ street: 'S', city: 'C' }]);
    const many = await User.find({}, { email: 1, _id: 0 }).lean();
    expect(many).toEqual([{ email: 'lean@x.io' }]);
  });

  it('deleteMany removes the matching documents and reports how many', async () => {
    await User.create([
      { email: 'd1@x.io', name: 'D', age: 1 },
      { email: 'd2@x.io', name: 'D', age: 2 },
      { email: 'e1@x.io', name: 'E', age: 3 },
    ]);
    const res = await User.deleteMany({ name: 'D' });
    expect(res.deletedCount).toBe(2);
    expect((await User.find().lean()).map((u) => u.email)).toEqual(['e1@x.io']);
  });
});
