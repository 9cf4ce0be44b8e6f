import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ collection: 'test_probes', versionKey: false })
export class Probe {
  @Prop({ required: true, unique: true })
  name!: string;

  @Prop({ type: [String], default: [] })
  tags!: string[];
}

export const ProbeSchema = SchemaFactory.createForClass(Probe);
