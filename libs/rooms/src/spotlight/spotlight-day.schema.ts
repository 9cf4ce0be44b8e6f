import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A UTC day whose birthday spotlight was announced: the claim that makes it once per day. */
@Schema({ collection: 'spotlight_days', versionKey: false })
export class SpotlightDay {
  /** The day, YYYY-MM-DD (UTC). */
  @Prop({ type: String, required: true })
  _id!: string;

  /** When the instance that announced it claimed the day (injected clock). */
  @Prop({ required: true })
  claimedAt!: Date;
}

export const SpotlightDaySchema = SchemaFactory.createForClass(SpotlightDay);
