using RfpioGateway.Silo.Hosting;

var app = SiloHost.Build(args);
await app.RunAsync();
