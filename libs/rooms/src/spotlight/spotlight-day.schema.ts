import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A UTC day's birthday spotlight: claimed by the instance that announces it (the claim makes it
 * once per day), done once announced. A claim never done (its instance died) is taken over when
 * it is older than the lease.
 */
@Schema({ collection: 'spotlight_days', versionKey: false })
export class SpotlightDay {
  /** The day, YYYY-MM-DD (UTC). */
  @Prop({ type: String, required: true })
  _id!: string;

  /** When the instance announcing it claimed the day (injected clock). */
  @Prop({ required: true })
  claimedAt!: Date;

  /** When the announcement was done; null while it runs (or if its instance died). */
  @Prop({ type: Date, default: null })
  doneAt!: Date | null;
}

export const SpotlightDaySchema = SchemaFactory.createForClass(SpotlightDay);
