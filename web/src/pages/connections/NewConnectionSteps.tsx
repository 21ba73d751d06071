import { Stepper } from '@mantine/core';

/** Where the user is in making a connection: choose a source, authorize, choose accounts. */
export function NewConnectionSteps({ active }: { active: 0 | 1 | 2 }) {
  return (
    <Stepper active={active} size="sm" mb="xl" maw={960} allowNextStepsSelect={false}>
      <Stepper.Step label="Data source" description="Choose what to connect" />
      <Stepper.Step label="Authorize" description="Sign in at the provider" />
      <Stepper.Step label="Accounts" description="Choose what to sync" />
    </Stepper>
  );
}
