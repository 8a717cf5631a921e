import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../errors/app-error';

/** A path parameter that must be a UUID; anything else is a 400 problem naming the parameter. */
export const UuidParam = (name: string) =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => AppError.validation([{ path: name, message: `${name} must be a UUID` }]),
    }),
  );
