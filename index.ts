import * as pulumi from "@pulumi/pulumi";
import { definePlatform, loadStackConfig } from "./components";

// Config is validated before any resource is registered: a bad stack file stops here with every problem.
const config = loadStackConfig();
const platform = definePlatform(config, { name: `${pulumi.getProject()}-${pulumi.getStack()}` });

export const homeRegion = platform.homeRegion;
export const regions = platform.outputs();
