import type { Slice } from '../../../catalogue.js';
import { describeCallerVerb } from './describe-caller.cli.verb.js';
import { DescribeCallerHttpController } from './describe-caller.http.controller.js';
import { DescribeCaller } from './describe-caller.use-case.js';

export const describeCaller: Slice = { useCase: DescribeCaller, http: [DescribeCallerHttpController], cli: [describeCallerVerb] };
