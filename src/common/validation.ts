import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, FieldError } from '../errors/app-error';

/**
 * One message per refused constraint, except for a required property that is absent: class-validator reports every
 * constraint it fails ("must be a string", "must be longer than …"), which says nothing but "send it".
 */
function messagesOf(error: ValidationError): string[] {
  const messages = Object.values(error.constraints ?? {});
  return error.value === undefined && messages.length > 0 ? [`${error.property} is required`] : messages;
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of messagesOf(error)) out.push({ path, message });
    if (error.children?.length) out.push(...flatten(error.children, path));
  }
  return out;
}

/** The one ValidationPipe configuration, shared by main.ts and the e2e app factory. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The value tells a missing property from a wrong one; it is never put in the answer.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => AppError.validation(flatten(errors)),
  });
}
