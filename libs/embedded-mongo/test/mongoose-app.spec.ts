/**
 * Mongoose 9 used the way a NestJS service layer uses it: validated schemas, timestamps and
 * versioning, populate, bulk writes, cursors, pagination, aggregation, schema-declared indexes,
 * discriminators, and the features a standalone store must refuse cleanly (change streams,
 * transactions). Complements mongoose.spec.ts, which covers the basic CRUD round trips.
 */
import mongoose, { Schema, Types, type Connection } from 'mongoose';
import { FAST_FAIL, bsonTypeOf, pollUntil, rejectionOf, uniqueName } from './harness';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src';

let server: EmbeddedMongo | undefined;
let conn: Connection | undefined;

/**
 * The one clock of this file: the Product schema's timestamps and the store's TTL monitor read it,
 * so tests move time deterministically instead of waiting.
 */
let clock = new Date('2024-03-01T10:00:00.000Z');

const variantSchema = new Schema({
  name: { type: String, required: true },
  qty: { type: Number, default: 0 },
});

const productSchema = new Schema(
  {
    sku: { type: String, required: true, unique: true, match: /^[A-Z]{3}-\d{3}$/ },
    name: { type: String, required: true, trim: true },
    status: { type: String, enum: ['draft', 'active', 'archived'], default: 'draft' },
    price: { type: Number, required: true, min: 0, max: 10000 },
    stock: { type: Number, default: 0 },
    tags: [String],
    history: [Number],
    variants: [variantSchema],
    secret: { type: String, select: false },
  },
  { timestamps: { currentTime: () => clock } },
);

const accountSchema = new Schema(
  { owner: { type: String, required: true }, balance: { type: Number, default: 0 } },
  { optimisticConcurrency: true },
);

const settingSchema = new Schema({ key: String, value: String }, { versionKey: false });

interface PersonJson {
  id?: string;
  _id?: unknown;
  password?: unknown;
  __v?: unknown;
}

const personSchema = new Schema(
  {
    first: { type: String, required: true },
    last: { type: String, required: true },
    email: String,
    password: { type: String, select: false },
  },
  {
    toJSON: {
      virtuals: true,
      versionKey: false,
      transform(_doc: unknown, ret: PersonJson) {
        ret.id = String(ret._id);
        delete ret._id;
        delete ret.password;
        return ret;
      },
    },
  },
);
personSchema.virtual('fullName').get(function (this: { first: string; last: string }) {
  return `${this.first} ${this.last}`;
});

const authorSchema = new Schema({
  name: { type: String, required: true },
  email: String,
  active: { type: Boolean, default: true },
});
authorSchema.virtual('books', { ref: 'Book', localField: '_id', foreignField: 'author' });
authorSchema.virtual('bookCount', {
  ref: 'Book',
  localField: '_id',
  foreignField: 'author',
  count: true,
});
authorSchema.virtual('latestBook', {
  ref: 'Book',
  localField: '_id',
  foreignField: 'author',
  justOne: true,
  options: { sort: { year: -1 } },
});

const bookSchema = new Schema({
  title: { type: String, required: true },
  year: Number,
  author: { type: Schema.Types.ObjectId, ref: 'Author', required: true },
  reviewers: [{ type: Schema.Types.ObjectId, ref: 'Author' }],
  meta: { editor: { type: Schema.Types.ObjectId, ref: 'Author' } },
});

const reviewSchema = new Schema({
  book: { type: Schema.Types.ObjectId, ref: 'Book', required: true },
  stars: Number,
});

const entrySchema = new Schema({ seq: Number, createdAt: Date, group: String });

const customerSchema = new Schema({ name: String });
const saleSchema = new Schema({
  store: Schema.Types.ObjectId,
  customer: { type: Schema.Types.ObjectId, ref: 'Customer' },
  at: Date,
  amount: Number,
});

const slugSchema = new Schema({ tenant: String, slug: String });
slugSchema.index({ tenant: 1, slug: 1 }, { unique: true });

const membershipSchema = new Schema({ email: String, active: Boolean });
membershipSchema.index(
  { email: 1 },
  { unique: true, partialFilterExpression: { active: true }, name: 'email_active_unique' },
);

const loginSchema = new Schema({ token: String, lastSeen: { type: Date, expires: 60 } });

const invoiceSchema = new Schema({
  number: String,
  amount: Schema.Types.Decimal128,
  lines: [{ label: String, price: Schema.Types.Decimal128 }],
});

const profileSchema = new Schema({
  user: String,
  prefs: { type: Map, of: String },
  scores: { type: Map, of: Number },
});

const orderSchema = new Schema({
  ref: String,
  items: [{ sku: String, qty: Number, flag: Boolean }],
});

const eventSchema = new Schema({ at: Date }, { discriminatorKey: 'kind' });
const clickSchema = new Schema({ url: { type: String, required: true } });
const purchaseSchema = new Schema({ total: Number });

function models(c: Connection) {
  const Event = c.model('Event', eventSchema);
  return {
    Product: c.model('Product', productSchema),
    Account: c.model('Account', accountSchema),
    Setting: c.model('Setting', settingSchema),
    Person: c.model('Person', personSchema),
    Author: c.model('Author', authorSchema),
    Book: c.model('Book', bookSchema),
    Review: c.model('Review', reviewSchema),
    Entry: c.model('Entry', entrySchema),
    Customer: c.model('Customer', customerSchema),
    Sale: c.model('Sale', saleSchema),
    Slug: c.model('Slug', slugSchema),
    Membership: c.model('Membership', membershipSchema),
    Login: c.model('Login', loginSchema),
    Invoice: c.model('Invoice', invoiceSchema),
    Profile: c.model('Profile', profileSchema),
    Order: c.model('Order', orderSchema),
    Event,
    Click: Event.discriminator('Click', clickSchema),
    Purchase: Event.discriminator('Purchase', purchaseSchema),
  };
}

let m: ReturnType<typeof models>;

beforeAll(async () => {
  server = await startEmbeddedMongo({ port: 0, clock: () => clock });
  conn = await mongoose
    .createConnection(server.uri, {
      ...FAST_FAIL,
      dbName: uniqueName('mongoose_app'),
      monitorCommands: true,
    })
    .asPromise();
  m = models(conn);
  for (const model of Object.values(m)) await model.init();
});

afterAll(async () => {
  await conn?.close();
  await server?.stop();
});

function db(): NonNullable<Connection['db']> {
  if (!conn?.db) throw new Error('not connected');
  return conn.db;
}

function connection(): Connection {
  if (!conn) throw new Error('not connected');
  return conn;
}

/** The stored document, read past Mongoose through the driver. */
async function raw(collection: string, filter: Record<string, unknown> = {}) {
  return db().collection(collection).findOne(filter);
}

/** Named string/number/object properties of an error, without `any`. */
function prop(error: unknown, name: string): unknown {
  if (error === null || typeof error !== 'object') return undefined;
  return (error as Record<string, unknown>)[name];
}

function validationKinds(error: unknown): Record<string, string> {
  expect(error).toBeInstanceOf(mongoose.Error.ValidationError);
  const errors = (error as mongoose.Error.ValidationError).errors;
  return Object.fromEntries(Object.entries(errors).map(([path, e]) => [path, e.kind]));
}

interface IndexInfo {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  partialFilterExpression?: unknown;
  expireAfterSeconds?: number;
}

/** Model.listIndexes(), typed (Mongoose declares it as any[]). */
async function indexesOf(model: { listIndexes(): Promise<unknown[]> }): Promise<IndexInfo[]> {
  return (await model.listIndexes()) as IndexInfo[];
}

async function newProduct(sku: string, extra: Record<string, unknown> = {}) {
  return m.Product.create({ sku, name: `Product ${sku}`, price: 10, ...extra });
}

describe('schema validation, defaults and timestamps', () => {
  beforeEach(async () => {
    await m.Product.deleteMany({});
    clock = new Date('2024-03-01T10:00:00.000Z');
  });

  it('create rejects required, match, enum and min violations with one ValidationError and writes nothing', async () => {
    // a payload from an untyped request body, so the enum violation type-checks
    const body: Record<string, unknown> = { sku: 'bad sku', status: 'gone', price: -1 };
    const error = await rejectionOf(m.Product.create(body));
    expect(validationKinds(error)).toEqual({
      name: 'required',
      sku: 'regexp',
      status: 'enum',
      price: 'min',
    });
    expect(await m.Product.countDocuments()).toBe(0);
  });

  it('a max violation is reported for the path and the valid document next to it is stored', async () => {
    const error = await rejectionOf(newProduct('MAX-001', { price: 10001 }));
    expect(validationKinds(error)).toEqual({ price: 'max' });
    await newProduct('MAX-002', { price: 10000 });
    expect((await m.Product.find().lean()).map((p) => [p.sku, p.price])).toEqual([
      ['MAX-002', 10000],
    ]);
  });

  it('defaults, trimmed strings, timestamps and __v: 0 are persisted in the stored document', async () => {
    await m.Product.create({ sku: 'DEF-001', name: '  Padded  ', price: 5 });
    const stored = await raw('products', { sku: 'DEF-001' });
    expect(stored).toMatchObject({
      name: 'Padded',
      status: 'draft',
      stock: 0,
      tags: [],
      history: [],
      variants: [],
      __v: 0,
      createdAt: clock,
      updatedAt: clock,
    });
    expect(stored?._id).toBeInstanceOf(Types.ObjectId);
  });

  it('updateOne bumps updatedAt but leaves createdAt alone', async () => {
    const created = clock;
    await newProduct('TSU-001');
    clock = new Date('2024-03-02T12:30:00.000Z');
    const res = await m.Product.updateOne({ sku: 'TSU-001' }, { $set: { price: 20 } });
    expect([res.matchedCount, res.modifiedCount]).toEqual([1, 1]);
    const stored = await raw('products', { sku: 'TSU-001' });
    expect(stored?.price).toBe(20);
    expect(stored?.createdAt).toEqual(created);
    expect(stored?.updatedAt).toEqual(clock);
  });

  it('an upserting updateOne stores the filter equality, schema defaults and both timestamps', async () => {
    const res = await m.Product.updateOne(
      { sku: 'UPS-001' },
      { $set: { name: 'Upserted', price: 3 } },
      { upsert: true },
    );
    expect(res.matchedCount).toBe(0);
    expect(res.upsertedCount).toBe(1);
    expect(res.upsertedId).toBeInstanceOf(Types.ObjectId);
    const stored = await raw('products', { sku: 'UPS-001' });
    expect(stored?._id).toEqual(res.upsertedId);
    expect(stored).toMatchObject({
      name: 'Upserted',
      price: 3,
      status: 'draft',
      stock: 0,
      createdAt: clock,
      updatedAt: clock,
    });
  });
});

describe('versioning and optimistic concurrency', () => {
  beforeEach(async () => {
    await m.Product.deleteMany({});
    await m.Account.deleteMany({});
  });

  it('__v increments when save() pushes to or pulls from an array, not for a scalar change', async () => {
    const p = await newProduct('VER-001');
    const storedVersion = async () => (await raw('products', { _id: p._id }))?.__v as unknown;
    p.history.push(1, 2);
    await p.save();
    expect(await storedVersion()).toBe(1);
    p.price = 11;
    await p.save();
    expect(await storedVersion()).toBe(1);
    (p.history as Types.Array<number>).pull(1);
    await p.save();
    expect(await storedVersion()).toBe(2);
    expect((await raw('products', { _id: p._id }))?.history).toEqual([2]);
  });

  it('a stale copy editing a subdocument by position after another copy pulled one fails with VersionError', async () => {
    const p = await newProduct('VER-002', {
      variants: [
        { name: 'S', qty: 1 },
        { name: 'M', qty: 2 },
      ],
    });
    const a = await m.Product.findById(p._id).orFail();
    const b = await m.Product.findById(p._id).orFail();
    a.variants.pull(a.variants[0]._id);
    await a.save();
    b.variants[1].qty = 9;
    const error = await rejectionOf(b.save());
    expect(error).toBeInstanceOf(mongoose.Error.VersionError);
    const stored = await m.Product.findById(p._id).lean().orFail();
    expect(stored.variants.map((v) => [v.name, v.qty])).toEqual([['M', 2]]);
    expect(stored.__v).toBe(1);
  });

  it('optimisticConcurrency: saving a stale copy throws VersionError and keeps the first write', async () => {
    const acc = await m.Account.create({ owner: 'ann', balance: 1 });
    const a = await m.Account.findById(acc._id).orFail();
    const b = await m.Account.findById(acc._id).orFail();
    a.balance = 10;
    await a.save();
    b.balance = 20;
    const error = await rejectionOf(b.save());
    expect(error).toBeInstanceOf(mongoose.Error.VersionError);
    expect(await raw('accounts', { _id: acc._id })).toEqual({
      _id: acc._id,
      owner: 'ann',
      balance: 10,
      __v: 1,
    });
  });

  it('versionKey: false stores no __v field at all', async () => {
    const s = await m.Setting.create({ key: 'theme', value: 'dark' });
    s.value = 'light';
    await s.save();
    expect(await raw('settings', { _id: s._id })).toEqual({
      _id: s._id,
      key: 'theme',
      value: 'light',
    });
  });
});

describe('virtuals, toJSON, lean and projections', () => {
  let personId: Types.ObjectId;

  beforeAll(async () => {
    await m.Person.deleteMany({});
    const p = await m.Person.create({
      first: 'Ada',
      last: 'Lovelace',
      email: 'ada@x.io',
      password: 'hunter2',
    });
    personId = p._id;
  });

  it('the password (select: false) is stored but left out of default finds', async () => {
    expect((await raw('people', { _id: personId }))?.password).toBe('hunter2');
    const doc = await m.Person.findById(personId).orFail();
    expect(doc.password).toBeUndefined();
    expect(doc.first).toBe('Ada');
  });

  it("select('+password') adds the hidden field to the other fields", async () => {
    const doc = await m.Person.findById(personId).select('+password').lean().orFail();
    expect(doc).toEqual({
      _id: personId,
      first: 'Ada',
      last: 'Lovelace',
      email: 'ada@x.io',
      password: 'hunter2',
      __v: 0,
    });
  });

  it("select('-email') excludes only that field and select('first') keeps only first and _id", async () => {
    const without = await m.Person.findById(personId).select('-email').lean().orFail();
    expect(Object.keys(without).sort()).toEqual(['__v', '_id', 'first', 'last']);
    const only = await m.Person.findById(personId).select('first').lean().orFail();
    expect(only).toEqual({ _id: personId, first: 'Ada' });
  });

  it('toJSON applies virtuals and the transform: id string, fullName, no _id, __v or password', async () => {
    const doc = await m.Person.findById(personId).select('+password').orFail();
    expect(doc.get('fullName')).toBe('Ada Lovelace');
    expect(JSON.parse(JSON.stringify(doc))).toEqual({
      id: personId.toHexString(),
      first: 'Ada',
      last: 'Lovelace',
      email: 'ada@x.io',
      fullName: 'Ada Lovelace',
    });
  });

  it('lean() and lean({ virtuals: true }) without the plugin return plain stored fields, no virtuals', async () => {
    for (const doc of [
      await m.Person.findById(personId).lean().orFail(),
      await m.Person.findById(personId).lean({ virtuals: true }).orFail(),
    ]) {
      expect(doc).not.toBeInstanceOf(mongoose.Document);
      expect(doc._id).toBeInstanceOf(Types.ObjectId);
      expect(doc).toEqual({
        _id: personId,
        first: 'Ada',
        last: 'Lovelace',
        email: 'ada@x.io',
        __v: 0,
      });
    }
  });
});

interface AuthorShape {
  _id: Types.ObjectId;
  name: string;
  email?: string;
}
interface BookShape {
  _id: Types.ObjectId;
  title: string;
  year?: number;
}

describe('populate', () => {
  const ids = {
    ann: new Types.ObjectId(),
    bob: new Types.ObjectId(),
    cid: new Types.ObjectId(),
    gone: new Types.ObjectId(),
  };

  beforeAll(async () => {
    await m.Author.deleteMany({});
    await m.Book.deleteMany({});
    await m.Review.deleteMany({});
    await m.Author.create([
      { _id: ids.ann, name: 'Ann', email: 'ann@x.io' },
      { _id: ids.bob, name: 'Bob', email: 'bob@x.io', active: false },
      { _id: ids.cid, name: 'Cid', email: 'cid@x.io' },
    ]);
    const [dune] = await m.Book.create([
      {
        title: 'Dune',
        year: 1965,
        author: ids.ann,
        reviewers: [ids.cid, ids.gone, ids.bob],
        meta: { editor: ids.bob },
      },
      { title: 'Emma', year: 1815, author: ids.ann, reviewers: [] },
      { title: 'Faust', year: 1808, author: ids.bob },
    ]);
    await m.Review.create([
      { book: dune._id, stars: 5 },
      { book: dune._id, stars: 3 },
    ]);
  });

  it('a single ref populated with a select option carries only the selected fields', async () => {
    const book = await m.Book.findOne({ title: 'Dune' })
      .populate<{ author: AuthorShape }>({ path: 'author', select: 'name' })
      .orFail();
    expect(book.author._id).toEqual(ids.ann);
    expect(book.author.name).toBe('Ann');
    expect(book.author.email).toBeUndefined();
  });

  it('an array of refs keeps the stored order and drops ids with no document', async () => {
    const book = await m.Book.findOne({ title: 'Dune' })
      .populate<{ reviewers: AuthorShape[] }>('reviewers')
      .orFail();
    expect(book.reviewers.map((r) => r.name)).toEqual(['Cid', 'Bob']);
  });

  it('populate match filters the populated array', async () => {
    const book = await m.Book.findOne({ title: 'Dune' })
      .populate<{ reviewers: AuthorShape[] }>({ path: 'reviewers', match: { active: true } })
      .orFail();
    expect(book.reviewers.map((r) => r.name)).toEqual(['Cid']);
  });

  it('a ref under a nested path (meta.editor) is populated', async () => {
    const book = await m.Book.findOne({ title: 'Dune' })
      .populate<{ meta: { editor: AuthorShape } }>('meta.editor')
      .lean()
      .orFail();
    expect(book.meta.editor.name).toBe('Bob');
    expect(book.meta.editor._id).toEqual(ids.bob);
  });

  it('deep populate resolves review -> book -> author', async () => {
    const reviews = await m.Review.find()
      .sort({ stars: -1 })
      .populate<{ book: BookShape & { author: AuthorShape } }>({
        path: 'book',
        select: 'title author',
        populate: { path: 'author', select: 'name' },
      })
      .lean();
    expect(reviews.map((r) => [r.stars, r.book.title, r.book.author.name])).toEqual([
      [5, 'Dune', 'Ann'],
      [3, 'Dune', 'Ann'],
    ]);
  });

  it('virtual populate via localField/foreignField returns the books sorted by the options', async () => {
    const author = await m.Author.findById(ids.ann)
      .populate<{ books: BookShape[] }>({ path: 'books', options: { sort: { year: 1 } } })
      .orFail();
    expect(author.books.map((b) => b.title)).toEqual(['Emma', 'Dune']);
  });

  it('virtual populate with count: true yields the number of matching documents per author', async () => {
    const authors = await m.Author.find()
      .sort({ name: 1 })
      .populate<{ bookCount: number }>('bookCount');
    expect(authors.map((a) => [a.name, a.bookCount])).toEqual([
      ['Ann', 2],
      ['Bob', 1],
      ['Cid', 0],
    ]);
  });

  it('virtual populate with justOne and a sort picks the latest book, also on lean results', async () => {
    const authors = await m.Author.find({ _id: { $in: [ids.ann, ids.cid] } })
      .sort({ name: 1 })
      .populate<{ latestBook: BookShape | null }>('latestBook')
      .lean();
    expect(authors.map((a) => [a.name, a.latestBook?.title ?? null])).toEqual([
      ['Ann', 'Dune'],
      ['Cid', null],
    ]);
  });
});

describe('bulk writes', () => {
  beforeEach(async () => {
    await m.Product.deleteMany({});
  });

  it('Model.create with an array inserts every document and returns them with ids', async () => {
    const docs = await m.Product.create([
      { sku: 'CRE-001', name: 'A', price: 1 },
      { sku: 'CRE-002', name: 'B', price: 2 },
      { sku: 'CRE-003', name: 'C', price: 3 },
    ]);
    expect(docs).toHaveLength(3);
    expect(docs.every((d) => d._id instanceof Types.ObjectId && !d.isNew)).toBe(true);
    const stored = await m.Product.find().sort({ sku: 1 }).lean();
    expect(stored.map((d) => [d._id.toHexString(), d.sku])).toEqual(
      docs.map((d) => [d._id.toHexString(), d.sku]),
    );
  });

  it('insertMany ordered:false with a duplicate inserts the rest; the error carries writeErrors and insertedDocs', async () => {
    await newProduct('DUP-001');
    const error = await rejectionOf(
      m.Product.insertMany(
        [
          { sku: 'INS-001', name: 'A', price: 1 },
          { sku: 'DUP-001', name: 'dup', price: 1 },
          { sku: 'INS-002', name: 'B', price: 1 },
          { sku: 'INS-003', name: 'C', price: 1 },
        ],
        { ordered: false },
      ),
    );
    expect(error).toBeInstanceOf(mongoose.mongo.MongoBulkWriteError);
    expect(prop(error, 'code')).toBe(11000);
    const writeErrors = prop(error, 'writeErrors') as { index: number; code: number }[];
    expect(writeErrors.map((e) => [e.index, e.code])).toEqual([[1, 11000]]);
    const inserted = prop(error, 'insertedDocs') as { sku: string }[];
    expect(inserted.map((d) => d.sku)).toEqual(['INS-001', 'INS-002', 'INS-003']);
    expect((await m.Product.find().sort({ sku: 1 }).lean()).map((p) => p.sku)).toEqual([
      'DUP-001',
      'INS-001',
      'INS-002',
      'INS-003',
    ]);
  });

  it('insertMany (ordered) stops at the duplicate: later documents are not written', async () => {
    await newProduct('DUP-002');
    const error = await rejectionOf(
      m.Product.insertMany([
        { sku: 'ORD-001', name: 'A', price: 1 },
        { sku: 'DUP-002', name: 'dup', price: 1 },
        { sku: 'ORD-002', name: 'B', price: 1 },
      ]),
    );
    expect(prop(error, 'code')).toBe(11000);
    const inserted = prop(error, 'insertedDocs') as { sku: string }[];
    expect(inserted.map((d) => d.sku)).toEqual(['ORD-001']);
    expect((await m.Product.find().sort({ sku: 1 }).lean()).map((p) => p.sku)).toEqual([
      'DUP-002',
      'ORD-001',
    ]);
  });

  it('bulkWrite mixing insertOne/updateOne/updateMany/deleteOne/replaceOne/upsert reports exact counts', async () => {
    await m.Product.create([
      { sku: 'AAA-001', name: 'A', price: 1 },
      { sku: 'BBB-002', name: 'B', price: 2 },
      { sku: 'CCC-003', name: 'C', price: 3 },
    ]);
    const res = await m.Product.bulkWrite([
      { insertOne: { document: { sku: 'DDD-004', name: 'D', price: 4 } } },
      { updateOne: { filter: { sku: 'AAA-001' }, update: { $set: { price: 10 } } } },
      { updateMany: { filter: { price: { $lt: 3 } }, update: { $inc: { stock: 5 } } } },
      { deleteOne: { filter: { sku: 'CCC-003' } } },
      {
        replaceOne: {
          filter: { sku: 'BBB-002' },
          replacement: { sku: 'BBB-002', name: 'B2', price: 22 },
        },
      },
      {
        updateOne: {
          filter: { sku: 'EEE-005' },
          update: { $set: { name: 'E', price: 5 } },
          upsert: true,
        },
      },
    ]);
    expect({
      inserted: res.insertedCount,
      matched: res.matchedCount,
      modified: res.modifiedCount,
      deleted: res.deletedCount,
      upserted: res.upsertedCount,
    }).toEqual({ inserted: 1, matched: 3, modified: 3, deleted: 1, upserted: 1 });
    expect(Object.keys(res.upsertedIds)).toEqual(['5']);
    const stored = await m.Product.find().sort({ sku: 1 }).lean();
    expect(stored.map((p) => [p.sku, p.name, p.price, p.stock])).toEqual([
      ['AAA-001', 'A', 10, 0],
      ['BBB-002', 'B2', 22, 0],
      ['DDD-004', 'D', 4, 0],
      ['EEE-005', 'E', 5, 0],
    ]);
    expect(stored[3]._id).toEqual(res.upsertedIds[5]);
  });

  it('bulkSave writes only the changed documents of a batch', async () => {
    const docs = await m.Product.create([
      { sku: 'BSV-001', name: 'A', price: 1 },
      { sku: 'BSV-002', name: 'B', price: 2 },
      { sku: 'BSV-003', name: 'C', price: 3 },
    ]);
    docs[0].price = 100;
    docs[2].tags.push('sale');
    const res = await m.Product.bulkSave(docs);
    expect([res.matchedCount, res.modifiedCount]).toEqual([2, 2]);
    const stored = await m.Product.find().sort({ sku: 1 }).lean();
    expect(stored.map((p) => [p.price, p.tags, p.__v])).toEqual([
      [100, [], 0],
      [2, [], 0],
      [3, ['sale'], 1],
    ]);
  });
});

describe('findOneAndUpdate and update operators', () => {
  beforeEach(async () => {
    await m.Product.deleteMany({});
    await m.Order.deleteMany({});
  });

  it('findOneAndUpdate with new: true returns the updated document', async () => {
    await newProduct('FAU-001', { stock: 1 });
    const updated = await m.Product.findOneAndUpdate(
      { sku: 'FAU-001' },
      { $set: { status: 'active' }, $inc: { stock: 4 } },
      { new: true },
    ).orFail();
    expect([updated.status, updated.stock]).toEqual(['active', 5]);
  });

  it('findOneAndUpdate with a sort claims the highest-priced matching document first', async () => {
    await m.Product.create([
      { sku: 'JOB-001', name: 'A', price: 5 },
      { sku: 'JOB-002', name: 'B', price: 50 },
      { sku: 'JOB-003', name: 'C', price: 20 },
    ]);
    const claimed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const doc = await m.Product.findOneAndUpdate(
        { status: 'draft' },
        { $set: { status: 'active' } },
        { sort: { price: -1 }, returnDocument: 'after' },
      ).lean();
      claimed.push(doc ? `${doc.sku}:${doc.status}` : 'none');
    }
    expect(claimed).toEqual(['JOB-002:active', 'JOB-003:active', 'JOB-001:active', 'none']);
  });

  it('findOneAndUpdate upsert with setDefaultsOnInsert creates the document with defaults and reports it', async () => {
    const res = await m.Product.findOneAndUpdate(
      { sku: 'FAU-002' },
      { $set: { name: 'Fresh', price: 7 } },
      {
        upsert: true,
        returnDocument: 'after',
        setDefaultsOnInsert: true,
        includeResultMetadata: true,
      },
    );
    expect(res.lastErrorObject?.updatedExisting).toBe(false);
    expect(res.lastErrorObject?.upserted).toBeInstanceOf(Types.ObjectId);
    expect(res.value?._id).toEqual(res.lastErrorObject?.upserted);
    expect([res.value?.sku, res.value?.status, res.value?.stock]).toEqual(['FAU-002', 'draft', 0]);
    expect(await m.Product.countDocuments({ sku: 'FAU-002', status: 'draft' })).toBe(1);
  });

  it('runValidators rejects an update that breaks enum and min, leaving the document unchanged', async () => {
    await newProduct('FAU-003');
    const error = await rejectionOf(
      m.Product.findOneAndUpdate(
        { sku: 'FAU-003' },
        { $set: { status: 'deleted', price: -5 } },
        { runValidators: true, returnDocument: 'after' },
      ),
    );
    expect(validationKinds(error)).toEqual({ status: 'enum', price: 'min' });
    const stored = await m.Product.findOne({ sku: 'FAU-003' }).lean().orFail();
    expect([stored.status, stored.price]).toEqual(['draft', 10]);
  });

  it('$inc together with $push $each/$slice keeps only the last N entries', async () => {
    await newProduct('FAU-004', { history: [1, 2] });
    const updated = await m.Product.findOneAndUpdate(
      { sku: 'FAU-004' },
      { $inc: { stock: 3 }, $push: { history: { $each: [3, 4, 5], $slice: -3 } } },
      { returnDocument: 'after' },
    )
      .lean()
      .orFail();
    expect(updated.stock).toBe(3);
    expect(updated.history).toEqual([3, 4, 5]);
  });

  it('$push of subdocuments with $sort and $slice keeps the top entries, each with an _id', async () => {
    await m.Order.create({ ref: 'o1', items: [{ sku: 'a', qty: 5 }] });
    await m.Order.updateOne(
      { ref: 'o1' },
      {
        $push: {
          items: {
            $each: [
              { sku: 'b', qty: 9 },
              { sku: 'c', qty: 1 },
            ],
            $sort: { qty: -1 },
            $slice: 2,
          },
        },
      },
    );
    const order = await m.Order.findOne({ ref: 'o1' }).lean().orFail();
    expect(order.items.map((i) => [i.sku, i.qty])).toEqual([
      ['b', 9],
      ['a', 5],
    ]);
    expect(order.items.every((i) => i._id instanceof Types.ObjectId)).toBe(true);
  });

  it('arrayFilters update only the matching array elements', async () => {
    await m.Order.create({
      ref: 'o2',
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 10 },
        { sku: 'c', qty: 2 },
      ],
    });
    const res = await m.Order.updateOne(
      { ref: 'o2' },
      { $set: { 'items.$[low].flag': true } },
      { arrayFilters: [{ 'low.qty': { $lt: 5 } }] },
    );
    expect(res.modifiedCount).toBe(1);
    const order = await m.Order.findOne({ ref: 'o2' }).lean().orFail();
    expect(order.items.map((i) => [i.sku, i.flag ?? null])).toEqual([
      ['a', true],
      ['b', null],
      ['c', true],
    ]);
  });

  it('subdocument ids address elements: positional $ by items._id, $pull by _id, and doc.items.id()', async () => {
    const order = await m.Order.create({
      ref: 'o3',
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ],
    });
    const [first, second] = order.items;
    expect(first._id).toBeInstanceOf(Types.ObjectId);
    expect(first._id.equals(second._id)).toBe(false);
    await m.Order.updateOne({ 'items._id': second._id }, { $set: { 'items.$.qty': 20 } });
    const reloaded = await m.Order.findById(order._id).orFail();
    expect(reloaded.items.id(second._id)?.qty).toBe(20);
    await m.Order.updateOne({ _id: order._id }, { $pull: { items: { _id: first._id } } });
    const after = await m.Order.findById(order._id).lean().orFail();
    expect(after.items.map((i) => [i._id.toHexString(), i.sku, i.qty])).toEqual([
      [second._id.toHexString(), 'b', 20],
    ]);
  });

  it('findByIdAndDelete returns the removed document, then null for the same id', async () => {
    const p = await newProduct('DEL-001');
    await newProduct('DEL-002');
    const removed = await m.Product.findByIdAndDelete(p._id).orFail();
    expect(removed.sku).toBe('DEL-001');
    expect(await m.Product.findByIdAndDelete(p._id)).toBeNull();
    expect((await m.Product.find().lean()).map((d) => d.sku)).toEqual(['DEL-002']);
  });

  it('updateMany reports matchedCount and a modifiedCount that skips documents already in the target state', async () => {
    await m.Product.create([
      { sku: 'UPM-001', name: 'A', price: 1, status: 'active' },
      { sku: 'UPM-002', name: 'B', price: 2 },
      { sku: 'UPM-003', name: 'C', price: 3 },
      { sku: 'UPM-004', name: 'D', price: 50 },
    ]);
    // timestamps off so documents already 'active' are truly unchanged
    const res = await m.Product.updateMany(
      { price: { $lt: 10 } },
      { $set: { status: 'active' } },
      { timestamps: false },
    );
    expect([res.matchedCount, res.modifiedCount]).toEqual([3, 2]);
    expect(await m.Product.countDocuments({ status: 'active' })).toBe(3);
  });
});

describe('counting and lookups', () => {
  beforeAll(async () => {
    await m.Product.deleteMany({});
    await m.Product.create([
      { sku: 'CNT-001', name: 'A', price: 1, tags: ['x', 'y'], status: 'active' },
      { sku: 'CNT-002', name: 'B', price: 5, tags: ['y', 'z'], status: 'active' },
      { sku: 'CNT-003', name: 'C', price: 9, tags: [], status: 'archived' },
      { sku: 'CNT-004', name: 'anna', price: 20, tags: ['x'] },
    ]);
  });

  it('countDocuments with a filter and estimatedDocumentCount agree with the data', async () => {
    expect(await m.Product.countDocuments({ tags: 'x' })).toBe(2);
    expect(await m.Product.countDocuments({ price: { $gte: 5, $lt: 20 } })).toBe(2);
    expect(await m.Product.estimatedDocumentCount()).toBe(4);
  });

  it('exists returns { _id } for a match and null otherwise', async () => {
    const hit = await m.Product.exists({ sku: 'CNT-002' });
    const stored = await m.Product.findOne({ sku: 'CNT-002' }).lean().orFail();
    expect(hit).toEqual({ _id: stored._id });
    expect(await m.Product.exists({ sku: 'NOPE-000' })).toBeNull();
  });

  it('distinct flattens array values and honours a filter', async () => {
    expect((await m.Product.distinct('tags')).sort()).toEqual(['x', 'y', 'z']);
    expect((await m.Product.distinct('status', { price: { $lt: 10 } })).sort()).toEqual([
      'active',
      'archived',
    ]);
  });

  it('a case-insensitive regex search and a string _id $in are cast and matched', async () => {
    const names = (await m.Product.find({ name: /^A/i }).sort({ name: 1 }).lean()).map(
      (p) => p.name,
    );
    expect(names).toEqual(['A', 'anna']);
    const target = await m.Product.findOne({ sku: 'CNT-003' }).lean().orFail();
    const found = await m.Product.find({ _id: { $in: [target._id.toHexString()] } }).lean();
    expect(found.map((p) => p.sku)).toEqual(['CNT-003']);
  });
});

describe('cursors and pagination', () => {
  const base = Date.UTC(2024, 0, 1);

  beforeAll(async () => {
    await m.Entry.deleteMany({});
    // 500 entries; createdAt has only 50 distinct values, so ties need the _id tie-breaker
    await m.Entry.insertMany(
      Array.from({ length: 500 }, (_, seq) => ({
        seq,
        createdAt: new Date(base + Math.floor(seq / 10) * 60_000),
        group: seq % 2 === 0 ? 'even' : 'odd',
      })),
    );
  });

  it('cursor().eachAsync with batchSize 50 visits all 500 documents in order via getMore batches', async () => {
    const client = connection().getClient();
    const batches: number[] = [];
    const onSucceeded = (event: { commandName: string; reply: unknown }) => {
      if (event.commandName !== 'getMore') return;
      const batch = (event.reply as { cursor?: { nextBatch?: unknown[] } }).cursor?.nextBatch;
      batches.push(batch?.length ?? -1);
    };
    client.on('commandSucceeded', onSucceeded);
    const seen: number[] = [];
    try {
      await m.Entry.find()
        .sort({ seq: 1 })
        .batchSize(50)
        .cursor()
        .eachAsync((doc) => {
          seen.push(doc.seq ?? -1);
        });
    } finally {
      client.off('commandSucceeded', onSucceeded);
    }
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(batches.length).toBeGreaterThanOrEqual(9);
    expect(batches.every((n) => n >= 0 && n <= 50)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(450);
  });

  it('eachAsync with the batchSize option hands the callback arrays of at most that many docs', async () => {
    const sizes: number[] = [];
    const seqs = new Set<number>();
    await m.Entry.find({ group: 'odd' })
      .lean()
      .cursor({ batchSize: 40 })
      .eachAsync(
        (docs: { seq?: number | null }[]) => {
          sizes.push(docs.length);
          for (const d of docs) seqs.add(d.seq ?? -1);
        },
        { batchSize: 25 },
      );
    expect(sizes).toEqual(Array.from({ length: 10 }, () => 25));
    expect(seqs.size).toBe(250);
    expect([...seqs].every((s) => s % 2 === 1)).toBe(true);
  });

  it('for await over an aggregate cursor with batchSize yields every group', async () => {
    const rows: { _id: string; n: number }[] = [];
    const cursor = m.Entry.aggregate<{ _id: string; n: number }>([
      { $group: { _id: '$group', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]).cursor({ batchSize: 1 });
    for await (const row of cursor) rows.push(row as { _id: string; n: number });
    expect(rows).toEqual([
      { _id: 'even', n: 250 },
      { _id: 'odd', n: 250 },
    ]);
  });

  async function expectedOrder() {
    const all = await m.Entry.find().lean();
    return all
      .sort((a, b) => {
        const dt = (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);
        if (dt !== 0) return dt;
        return b._id.toHexString() < a._id.toHexString() ? -1 : 1;
      })
      .map((d) => d._id.toHexString());
  }

  it('sort {createdAt: -1, _id: -1} with skip/limit pages through every document exactly once', async () => {
    const expected = await expectedOrder();
    const pages: string[] = [];
    for (let page = 0; page * 70 < 500; page++) {
      const docs = await m.Entry.find()
        .sort({ createdAt: -1, _id: -1 })
        .skip(page * 70)
        .limit(70)
        .select('_id')
        .lean();
      expect(docs.length).toBe(page < 7 ? 70 : 10);
      pages.push(...docs.map((d) => d._id.toHexString()));
    }
    expect(pages).toEqual(expected);
  });

  it('cursor-style paging with $or on (createdAt, _id) returns the same sequence as skip/limit', async () => {
    const expected = await expectedOrder();
    const seen: string[] = [];
    let last: { createdAt?: Date | null; _id: Types.ObjectId } | undefined;
    for (let i = 0; i < 20; i++) {
      const filter = last
        ? {
            $or: [
              { createdAt: { $lt: last.createdAt } },
              { createdAt: last.createdAt, _id: { $lt: last._id } },
            ],
          }
        : {};
      const docs = await m.Entry.find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(33)
        .select('createdAt')
        .lean();
      if (docs.length === 0) break;
      seen.push(...docs.map((d) => d._id.toHexString()));
      last = docs[docs.length - 1];
    }
    expect(seen).toEqual(expected);
  });

  it('keyset pagination on _id with $lt walks the collection newest-id first', async () => {
    const all = (await m.Entry.find().select('_id').lean()).map((d) => d._id.toHexString());
    const expected = [...all].sort().reverse();
    const seen: string[] = [];
    let lastId: Types.ObjectId | undefined;
    for (let i = 0; i < 10; i++) {
      const docs = await m.Entry.find(lastId ? { _id: { $lt: lastId } } : {})
        .sort({ _id: -1 })
        .limit(100)
        .select('_id')
        .lean();
      if (docs.length === 0) break;
      seen.push(...docs.map((d) => d._id.toHexString()));
      lastId = docs[docs.length - 1]._id;
    }
    expect(seen).toEqual(expected);
  });
});

describe('aggregation', () => {
  const storeA = new Types.ObjectId();
  const storeB = new Types.ObjectId();
  const day = (d: number, h: number) => new Date(Date.UTC(2024, 4, d, h));
  let ann: Types.ObjectId;
  let bob: Types.ObjectId;

  beforeAll(async () => {
    await m.Sale.deleteMany({});
    await m.Customer.deleteMany({});
    const [a, b] = await m.Customer.create([{ name: 'Ann' }, { name: 'Bob' }]);
    ann = a._id;
    bob = b._id;
    await m.Sale.create([
      { store: storeA, customer: ann, at: day(1, 9), amount: 10 },
      { store: storeA, customer: bob, at: day(1, 23), amount: 20 },
      { store: storeA, customer: ann, at: day(2, 0), amount: 40 },
      { store: storeB, customer: bob, at: day(2, 12), amount: 5 },
      { store: storeA, customer: ann, at: day(3, 8), amount: 30 },
      { store: storeA, customer: new Types.ObjectId(), at: day(9, 8), amount: 1 },
    ]);
  });

  it('$match on an ObjectId and a Date range then $group with $sum/$avg/$max', async () => {
    const rows = await m.Sale.aggregate<{
      _id: Types.ObjectId;
      total: number;
      avg: number;
      max: number;
      last: Date;
      n: number;
    }>([
      { $match: { store: storeA, at: { $gte: day(1, 0), $lt: day(3, 0) } } },
      {
        $group: {
          _id: '$store',
          total: { $sum: '$amount' },
          avg: { $avg: '$amount' },
          max: { $max: '$amount' },
          last: { $max: '$at' },
          n: { $sum: 1 },
        },
      },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]._id).toEqual(storeA);
    expect(rows[0]._id).toBeInstanceOf(Types.ObjectId);
    expect([rows[0].total, rows[0].max, rows[0].n]).toEqual([70, 40, 3]);
    expect(rows[0].avg).toBeCloseTo(70 / 3, 10);
    expect(rows[0].last).toEqual(day(2, 0));
  });

  it('$dateToString builds daily UTC buckets', async () => {
    const rows = await m.Sale.aggregate<{ _id: string; total: number; count: number }>([
      { $match: { at: { $lt: day(5, 0) } } },
      {
        $group: {
          _id: { $dateToString: { format: '%Y-%m-%d', date: '$at' } },
          total: { $sum: '$amount' },
          count: { $sum: 1 },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: '2024-05-01', total: 30, count: 2 },
      { _id: '2024-05-02', total: 45, count: 2 },
      { _id: '2024-05-03', total: 30, count: 1 },
    ]);
  });

  it('$lookup + $unwind joins customers; preserveNullAndEmptyArrays keeps orphan sales', async () => {
    const rows = await m.Sale.aggregate<{ amount: number; name: string | null }>([
      { $sort: { at: 1 } },
      {
        $lookup: {
          from: m.Customer.collection.collectionName,
          localField: 'customer',
          foreignField: '_id',
          as: 'c',
        },
      },
      { $unwind: { path: '$c', preserveNullAndEmptyArrays: true } },
      { $project: { _id: 0, amount: 1, name: { $ifNull: ['$c.name', null] } } },
    ]);
    expect(rows).toEqual([
      { amount: 10, name: 'Ann' },
      { amount: 20, name: 'Bob' },
      { amount: 40, name: 'Ann' },
      { amount: 5, name: 'Bob' },
      { amount: 30, name: 'Ann' },
      { amount: 1, name: null },
    ]);
  });

  it('$lookup + $unwind without preserve drops sales with no customer and groups by name', async () => {
    const rows = await m.Sale.aggregate<{ _id: string; spent: number }>([
      { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'c' } },
      { $unwind: '$c' },
      { $group: { _id: '$c.name', spent: { $sum: '$amount' } } },
      { $sort: { spent: -1 } },
    ]);
    expect(rows).toEqual([
      { _id: 'Ann', spent: 80 },
      { _id: 'Bob', spent: 25 },
    ]);
  });

  it('$facet returns a $count total next to a sorted page', async () => {
    const [result] = await m.Sale.aggregate<{
      total: { n: number }[];
      page: { amount: number }[];
      none: { n: number }[];
    }>([
      { $match: { store: storeA } },
      {
        $facet: {
          total: [{ $count: 'n' }],
          page: [
            { $sort: { amount: -1 } },
            { $skip: 1 },
            { $limit: 2 },
            { $project: { _id: 0, amount: 1 } },
          ],
          none: [{ $match: { amount: { $gt: 1000 } } }, { $count: 'n' }],
        },
      },
    ]);
    expect(result).toEqual({
      total: [{ n: 5 }],
      page: [{ amount: 30 }, { amount: 20 }],
      none: [],
    });
  });
  it('$group keyed by an ObjectId keeps one group per distinct id, with $addToSet and $push', async () => {
    const rows = await m.Sale.aggregate<{
      _id: Types.ObjectId;
      stores: Types.ObjectId[];
      amounts: number[];
    }>([
      { $sort: { at: 1 } },
      {
        $group: {
          _id: '$customer',
          stores: { $addToSet: '$store' },
          amounts: { $push: '$amount' },
        },
      },
      { $sort: { amounts: 1 } },
    ]);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r._id instanceof Types.ObjectId)).toBe(true);
    const byCustomer = new Map(rows.map((r) => [r._id.toHexString(), r]));
    expect(byCustomer.get(ann.toHexString())?.amounts).toEqual([10, 40, 30]);
    expect(byCustomer.get(ann.toHexString())?.stores).toEqual([storeA]);
    expect(byCustomer.get(bob.toHexString())?.amounts).toEqual([20, 5]);
    expect(
      byCustomer
        .get(bob.toHexString())
        ?.stores.map((id) => id.toHexString())
        .sort(),
    ).toEqual([storeA.toHexString(), storeB.toHexString()].sort());
  });

  it('$dateToString with a timezone buckets by the local calendar day', async () => {
    const rows = await m.Sale.aggregate<{ _id: string; total: number; count: number }>([
      { $match: { at: { $lt: day(5, 0) } } },
      {
        $group: {
          _id: { $dateToString: { format: '%Y-%m-%d', date: '$at', timezone: 'Europe/Oslo' } },
          total: { $sum: '$amount' },
          count: { $sum: 1 },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    // 2024-05-01T23:00Z is 01:00 on May 2 in Oslo (UTC+2 in summer)
    expect(rows).toEqual([
      { _id: '2024-05-01', total: 10, count: 1 },
      { _id: '2024-05-02', total: 65, count: 3 },
      { _id: '2024-05-03', total: 30, count: 1 },
    ]);
  });

  it('$lookup with let and a $expr pipeline joins on ObjectIds', async () => {
    const rows = await m.Customer.aggregate<{ name: string; big: { amount: number }[] }>([
      { $sort: { name: 1 } },
      {
        $lookup: {
          from: 'sales',
          let: { cid: '$_id' },
          pipeline: [
            {
              $match: {
                $expr: { $and: [{ $eq: ['$customer', '$$cid'] }, { $gte: ['$amount', 20] }] },
              },
            },
            { $sort: { amount: -1 } },
            { $project: { _id: 0, amount: 1 } },
          ],
          as: 'big',
        },
      },
      { $project: { _id: 0, name: 1, big: 1 } },
    ]);
    expect(rows).toEqual([
      { name: 'Ann', big: [{ amount: 40 }, { amount: 30 }] },
      { name: 'Bob', big: [{ amount: 20 }] },
    ]);
  });
});

describe('schema-declared indexes', () => {
  beforeEach(async () => {
    await m.Slug.deleteMany({});
    await m.Membership.deleteMany({});
    await m.Login.deleteMany({});
  });

  it('after init() diffIndexes reports nothing to do for unique, compound, partial and TTL indexes', async () => {
    for (const model of [m.Product, m.Slug, m.Membership, m.Login]) {
      expect(await model.diffIndexes()).toEqual({ toDrop: [], toCreate: [] });
    }
  });

  it('listIndexes shows the partial filter and the TTL expireAfterSeconds declared in the schema', async () => {
    const membership = await indexesOf(m.Membership);
    const partial = membership.find((i) => i.name === 'email_active_unique');
    expect(partial?.key).toEqual({ email: 1 });
    expect(partial?.unique).toBe(true);
    expect(partial?.partialFilterExpression).toEqual({ active: true });
    const login = await indexesOf(m.Login);
    const ttl = login.find((i) => i.name === 'lastSeen_1');
    expect(ttl?.key).toEqual({ lastSeen: 1 });
    expect(ttl?.expireAfterSeconds).toBe(60);
  });

  it('a compound unique violation is a MongoServerError 11000 with keyValue and the index name', async () => {
    await m.Slug.create({ tenant: 't1', slug: 'home' });
    await m.Slug.create({ tenant: 't2', slug: 'home' });
    const error = await rejectionOf(m.Slug.create({ tenant: 't1', slug: 'home' }));
    expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(prop(error, 'code')).toBe(11000);
    expect(prop(error, 'keyValue')).toEqual({ tenant: 't1', slug: 'home' });
    expect(String(prop(error, 'message'))).toMatch(/E11000 duplicate key error.*tenant_1_slug_1/);
    expect(await m.Slug.countDocuments()).toBe(2);
  });

  it('a partial unique index only rejects duplicates among documents matching its filter', async () => {
    await m.Membership.create([
      { email: 'a@x.io', active: false },
      { email: 'a@x.io', active: false },
      { email: 'a@x.io', active: true },
    ]);
    const error = await rejectionOf(m.Membership.create({ email: 'a@x.io', active: true }));
    expect(prop(error, 'code')).toBe(11000);
    expect(prop(error, 'keyValue')).toEqual({ email: 'a@x.io' });
    expect(await m.Membership.countDocuments({ email: 'a@x.io' })).toBe(3);
  });

  it('the TTL index from `expires` removes stale documents and keeps fresh ones', async () => {
    if (!server) throw new Error('not started');
    clock = new Date('2024-03-01T10:00:00.000Z');
    await m.Login.create([
      { token: 'stale', lastSeen: new Date(clock.getTime() - 3_600_000) },
      { token: 'fresh', lastSeen: clock },
      { token: 'never' },
    ]);
    const tokens = async () => (await m.Login.find().sort({ token: 1 }).lean()).map((l) => l.token);
    expect(server.ttlMonitor.runOnce()).toBe(1);
    expect(await tokens()).toEqual(['fresh', 'never']);
    // `expires: 60`: a minute later the fresh one has expired too
    clock = new Date(clock.getTime() + 59_000);
    expect(server.ttlMonitor.runOnce()).toBe(0);
    clock = new Date(clock.getTime() + 1_000);
    expect(server.ttlMonitor.runOnce()).toBe(1);
    expect(await tokens()).toEqual(['never']);
  });

  it('changing the schema: diffIndexes lists the drops and creates, syncIndexes applies them', async () => {
    const v1 = new Schema({
      name: { type: String, index: true },
      code: { type: String, unique: true },
      color: String,
    });
    const WidgetV1 = connection().model('WidgetV1', v1, 'widgets');
    await WidgetV1.init();
    await WidgetV1.create([
      { name: 'a', code: 'X', color: 'red' },
      { name: 'b', code: 'Y', color: 'red' },
    ]);
    const v2 = new Schema(
      { name: String, code: { type: String, index: true }, color: String },
      { autoIndex: false },
    );
    v2.index({ color: 1, name: -1 });
    const WidgetV2 = connection().model('WidgetV2', v2, 'widgets');

    const diff = await WidgetV2.diffIndexes();
    expect([...(diff.toDrop as string[])].sort()).toEqual(['code_1', 'name_1']);
    expect(diff.toCreate).toEqual([{ code: 1 }, { color: 1, name: -1 }]);

    const dropped = await WidgetV2.syncIndexes();
    expect([...dropped].sort()).toEqual(['code_1', 'name_1']);
    const indexes = await indexesOf(WidgetV2);
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'code_1', 'color_1_name_-1']);
    expect(indexes.find((i) => i.name === 'code_1')?.unique).toBeUndefined();
    expect(await WidgetV2.diffIndexes()).toEqual({ toDrop: [], toCreate: [] });
    // code is no longer unique
    await WidgetV2.create({ name: 'c', code: 'X', color: 'blue' });
    expect(await WidgetV2.countDocuments({ code: 'X' })).toBe(2);
  });
});

describe('special schema types', () => {
  it('Decimal128 values round-trip exactly and $inc adds in decimal, not binary floating point', async () => {
    const inv = await m.Invoice.create({
      number: 'I-1',
      amount: Types.Decimal128.fromString('0.1'),
      lines: [
        { label: 'a', price: Types.Decimal128.fromString('0.10') },
        { label: 'b', price: Types.Decimal128.fromString('0.20') },
      ],
    });
    await m.Invoice.updateOne(
      { _id: inv._id },
      { $inc: { amount: Types.Decimal128.fromString('0.2') } },
    );
    const stored = await m.Invoice.findById(inv._id).lean().orFail();
    expect(bsonTypeOf(stored.amount)).toBe('Decimal128');
    expect(stored.amount?.toString()).toBe('0.3');
    expect(stored.lines.map((l) => l.price?.toString())).toEqual(['0.10', '0.20']);
    const [sum] = await m.Invoice.aggregate<{ total: unknown }>([
      { $match: { _id: inv._id } },
      { $unwind: '$lines' },
      { $group: { _id: null, total: { $sum: '$lines.price' } } },
    ]);
    expect(bsonTypeOf(sum.total)).toBe('Decimal128');
    expect(Number(String(sum.total))).toBe(0.3);
  });

  it('Map fields persist as subdocuments, are queryable by key and update per key', async () => {
    const p = await m.Profile.create({ user: 'u1', prefs: { theme: 'dark' }, scores: { math: 1 } });
    await m.Profile.create({ user: 'u2', prefs: { theme: 'light' } });
    p.prefs?.set('lang', 'en');
    await p.save();
    await m.Profile.updateOne({ user: 'u1' }, { $inc: { 'scores.math': 2, 'scores.art': 5 } });
    expect(await raw('profiles', { user: 'u1' })).toMatchObject({
      prefs: { theme: 'dark', lang: 'en' },
      scores: { math: 3, art: 5 },
    });
    const dark = await m.Profile.find({ 'prefs.theme': 'dark' });
    expect(dark.map((d) => d.user)).toEqual(['u1']);
    expect(dark[0].prefs).toBeInstanceOf(Map);
    expect(dark[0].prefs?.get('lang')).toBe('en');
    expect(dark[0].scores?.get('art')).toBe(5);
  });

  it('discriminators store the key, and each child model only sees its own documents', async () => {
    await m.Event.deleteMany({});
    await m.Click.create([
      { at: new Date(Date.UTC(2024, 0, 1)), url: '/a' },
      { at: new Date(Date.UTC(2024, 0, 2)), url: '/b' },
    ]);
    await m.Purchase.create({ at: new Date(Date.UTC(2024, 0, 3)), total: 99 });
    const kinds = await db()
      .collection('events')
      .find({}, { sort: { at: 1 }, projection: { _id: 0, kind: 1 } })
      .toArray();
    expect(kinds).toEqual([{ kind: 'Click' }, { kind: 'Click' }, { kind: 'Purchase' }]);
    expect(await m.Event.countDocuments()).toBe(3);
    expect(await m.Click.countDocuments()).toBe(2);
    const res = await m.Purchase.updateMany({}, { $inc: { total: 1 } });
    expect(res.matchedCount).toBe(1);
    const all = await m.Event.find().sort({ at: 1 });
    expect(all.map((e) => e instanceof m.Click)).toEqual([true, true, false]);
    expect(all[2]).toBeInstanceOf(m.Purchase);
    expect(all[2].get('total')).toBe(100);
  });

  it('a discriminator validates its own required fields', async () => {
    const error = await rejectionOf(m.Click.create({ at: new Date() }));
    expect(validationKinds(error)).toEqual({ url: 'required' });
  });
});

describe('sessions, change streams and transactions on a standalone store', () => {
  beforeEach(async () => {
    await m.Product.deleteMany({});
  });

  it('an explicit session outside a transaction reads and writes normally', async () => {
    const session = await connection().startSession();
    try {
      await m.Product.create([{ sku: 'SES-001', name: 'S', price: 1 }], { session });
      const found = await m.Product.findOne({ sku: 'SES-001' }).session(session).lean().orFail();
      expect(found.name).toBe('S');
      await m.Product.updateOne({ sku: 'SES-001' }, { $inc: { stock: 2 } }, { session });
    } finally {
      await session.endSession();
    }
    expect((await raw('products', { sku: 'SES-001' }))?.stock).toBe(2);
  });

  it('Model.watch().next() rejects with a server error instead of hanging', async () => {
    const stream = m.Product.watch();
    try {
      const error = await rejectionOf(stream.next());
      expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    } finally {
      await stream.close();
    }
    expect(await m.Product.countDocuments()).toBe(0);
  }, 10_000);

  it("Model.watch().on('change') emits an 'error' event instead of hanging", async () => {
    const stream = m.Product.watch();
    const errors: unknown[] = [];
    stream.on('error', (e: unknown) => errors.push(e));
    stream.on('change', () => undefined);
    try {
      expect(await pollUntil(() => Promise.resolve(errors.length > 0), 5000)).toBe(true);
      expect(errors[0]).toBeInstanceOf(mongoose.mongo.MongoServerError);
    } finally {
      await stream.close();
    }
    await newProduct('WCH-001');
    expect(await m.Product.countDocuments()).toBe(1);
  }, 10_000);

  it('connection.transaction() is refused with a replica-set error and nothing is written', async () => {
    const error = await rejectionOf(
      connection().transaction(async (session) => {
        await m.Product.create([{ sku: 'TXN-001', name: 'T', price: 1 }], { session });
        await m.Product.create([{ sku: 'TXN-002', name: 'T', price: 1 }], { session });
      }),
    );
    expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(String(prop(error, 'message'))).toMatch(/replica set/i);
    expect(await m.Product.countDocuments()).toBe(0);
    // the connection keeps working afterwards
    await newProduct('TXN-003');
    expect((await m.Product.find().lean()).map((p) => p.sku)).toEqual(['TXN-003']);
  }, 15_000);
});
