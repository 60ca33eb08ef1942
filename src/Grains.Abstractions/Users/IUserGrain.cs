namespace RfpioGateway.Grains.Abstractions;

/// <summary>One user of one tenant (key <see cref="GrainKeys.Resource"/>); everything it does is <see cref="IResourceGrain"/>'s.</summary>
[Alias("rfpio.IUserGrain")]
public interface IUserGrain : IResourceGrain;
