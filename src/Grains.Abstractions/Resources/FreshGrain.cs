namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// Marks the grain a request is about to create under an id minted a moment ago, so storage can answer its first
/// read without reading: nothing can be stored under an id that did not exist. Orleans hands the calling request's
/// context to the activation it causes, which is where the state is read. Only a read is skipped: the first write
/// still inserts only where no row is, so even an impossible collision fails instead of overwriting.
/// </summary>
public static class FreshGrain
{
    private const string ContextKey = "rfpio.fresh";

    /// <summary>Runs <paramref name="create"/> with <paramref name="grain"/> marked fresh for the calls it makes.</summary>
    public static Task<T> CreateAsync<T>(IAddressable grain, Func<Task<T>> create)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return CreateAsync(grain.GetGrainId(), create);
    }

    /// <summary>Runs <paramref name="create"/> with <paramref name="grainId"/> marked fresh for the calls it makes.</summary>
    public static async Task<T> CreateAsync<T>(GrainId grainId, Func<Task<T>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        RequestContext.Set(ContextKey, grainId.ToString());
        try
        {
            return await create();
        }
        finally
        {
            RequestContext.Remove(ContextKey);
        }
    }

    /// <summary>True while the current request creates <paramref name="grainId"/> under a fresh id.</summary>
    public static bool Is(GrainId grainId) =>
        RequestContext.Get(ContextKey) is string fresh && string.Equals(fresh, grainId.ToString(), StringComparison.Ordinal);
}
