import { Field, ObjectType } from 'type-graphql';
import { DateScalar } from './scalars';
import { OrganisationUnit } from './organisation-unit.type';

@ObjectType({ description: 'An FS study right (programstudierett): admission to a study programme.' })
export class StudyRight {
  @Field() programmeCode!: string;
  @Field(() => String, { nullable: true }) programmeName?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "FS studierettstatus code: 'AKTIV', 'PERMISJON', 'FULLFØRT', 'TILBUD', …",
  })
  status?: string | null;
  @Field(() => DateScalar, { nullable: true }) from?: string | null;
  @Field(() => DateScalar, { nullable: true }) to?: string | null;
  @Field(() => OrganisationUnit, {
    nullable: true,
    description:
      "The programme's unit as FS knows it (id 'fs:ou:<stedkode>'; its stedkode is Cerebrum's for the same unit).",
  })
  organisationUnit?: OrganisationUnit | null;
  @Field(() => String, {
    nullable: true,
    description: "FS studienivå of the programme: '280' bachelor, '350' master, '900' PhD.",
  })
  level?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "FS's own flag: valid today and not ended (completed or discontinued).",
  })
  active?: boolean | null;
  @Field(() => String, { nullable: true, description: "The cohort's start term, e.g. '2024 HØST'." })
  cohort?: string | null;
  @Field(() => String, { nullable: true, description: 'FS student number (studentnummer).' })
  studentNumber?: string | null;
}
