using RfpioGateway.Operator;

return await OperatorCli.RunAsync(args, Console.Out, Console.Error);
