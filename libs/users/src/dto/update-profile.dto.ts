import { BioField, DisplayNameField } from './user-fields';

export class UpdateProfileDto {
  @DisplayNameField(true)
  displayName?: string;

  @BioField()
  bio?: string;
}
