using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RfpioGateway.Scim.Benchmarks.CoreBenchmarks).Assembly).Run(args);
