using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Patch;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Grains;

/// <summary>
/// One group: <see cref="ResourceGrain{TState}"/> over <see cref="GroupResource.Type"/>, plus its members, which it
/// alone writes to the <see cref="IMembershipStore"/>. A membership change rides in the group's own write
/// (<see cref="GroupState.Members"/>) and is applied after it, so the crash order is the resource's with one more
/// step: a crash after the write and before the rows leaves the change in the state, and the next activation
/// applies it again (idempotently) before anything reads the group through this grain. Validation (every added id
/// is a user of this tenant) happens before the write, so a refused request changes nothing.
/// </summary>
[GrainType("group"), Orleans.Placement.PreferLocalPlacement]
internal sealed class GroupGrain(
    [PersistentState("group", StorageNames.Scim)] IPersistentState<GroupState> state,
    TimeProvider time,
    IMembershipStore members) : ResourceGrain<GroupState>(state, time, GroupResource.Type), IGroupGrain
{
    private const string Members = "members";

    public override async Task<ResourceResult> CreateAsync(byte[] body)
    {
        if (State.Exists)
        {
            throw new InvalidOperationException($"Group {Id} already exists.");
        }
        var split = MemberOperations.SplitBody(body);
        if (!split.TryGetValue(out var parts, out var error))
        {
            return Fail(error);
        }
        var validated = ResourceValidator.Validate(parts.Document, GroupResource.Type.Schema, ValidationContext.Create);
        if (!validated.TryGetValue(out var document, out error))
        {
            return Fail(error);
        }
        var edit = new MembershipEdit();
        parts.Members.ForEach(edit.Add);
        var delta = await DeltaAsync(edit, current: false);
        if (!delta.TryGetValue(out var change, out error))
        {
            return Fail(error);
        }
        var now = Now();
        return await CommitAsync(document, version: 1, created: now, now, ChangeKind.Create, previous: null, WithMembers(change));
    }

    public override async Task<ResourceResult> ReplaceAsync(byte[] body, string? ifMatch)
    {
        if (Precondition(ifMatch) is { } failure)
        {
            return failure;
        }
        var split = MemberOperations.SplitBody(body);
        if (!split.TryGetValue(out var parts, out var error))
        {
            return Fail(error);
        }
        var current = CurrentDocument();
        var validated = ResourceValidator.Validate(parts.Document, GroupResource.Type.Schema, ValidationContext.Replace, current);
        if (!validated.TryGetValue(out var document, out error))
        {
            return Fail(error);
        }
        // PUT replaces the whole resource: a body without members empties the group (Okta sends the full list).
        var edit = new MembershipEdit();
        edit.ReplaceAll(parts.Members);
        var delta = await DeltaAsync(edit, current: true);
        if (!delta.TryGetValue(out var change, out error))
        {
            return Fail(error);
        }
        if (change is null && document.Utf8Json.AsSpan().SequenceEqual(current.Utf8Json))
        {
            return ResourceResult.Success(Snapshot());
        }
        return await CommitAsync(document, State.Version + 1, State.Created, Now(), ChangeKind.Put, current, WithMembers(change));
    }

    public override async Task<ResourceResult> PatchAsync(byte[] body, string? ifMatch)
    {
        if (Precondition(ifMatch) is { } failure)
        {
            return failure;
        }
        var request = PatchRequest.Parse(body);
        if (!request.TryGetValue(out var patch, out var error))
        {
            return Fail(error);
        }
        var split = MemberOperations.SplitPatch(patch);
        if (!split.TryGetValue(out var parts, out error))
        {
            return Fail(error);
        }
        var current = CurrentDocument();
        var document = current;
        var documentChanged = false;
        if (parts.Others is { } rest)
        {
            var applied = PatchEngine.Apply(current, rest);
            if (!applied.TryGetValue(out var result, out error))
            {
                return Fail(error);
            }
            (document, documentChanged) = (result.Document, result.Changed);
        }
        var delta = await DeltaAsync(parts.Edit, current: true);
        if (!delta.TryGetValue(out var change, out error))
        {
            return Fail(error);
        }
        if (!documentChanged && change is null)
        {
            // Adding a member already there or removing one already gone: nothing to write, no event.
            return ResourceResult.Success(Snapshot());
        }
        return await CommitAsync(document, State.Version + 1, State.Created, Now(), ChangeKind.Patch, current, WithMembers(change));
    }

    public async Task RemoveDeletedMemberAsync(string userId)
    {
        if (!State.Exists || (await members.ContainedAsync(Tenant, Id, [userId])).Count == 0)
        {
            return;
        }
        var current = CurrentDocument();
        var change = new MembershipDelta(Clear: false, [], [userId]);
        var result = await CommitAsync(current, State.Version + 1, State.Created, Now(), ChangeKind.Patch, current, WithMembers(change));
        if (result.Failure is { } failure)
        {
            // The document is unchanged, so its keys are the ones it holds: nothing here can be refused.
            throw new InvalidOperationException($"Removing deleted user {userId} from group {Id} failed: {failure.Detail}");
        }
    }

    protected override async Task FinishAsync(GroupState written)
    {
        if (written.Members is not { } delta)
        {
            return;
        }
        if (delta.Clear && await IsExactlyAsync(delta.Add))
        {
            // Re-applying a full replace would rewrite every row; a repair only needs to find it done.
            return;
        }
        await members.ApplyAsync(Tenant, Id, delta);
    }

    protected override Task TidyDeletedAsync() => members.ApplyAsync(Tenant, Id, new MembershipDelta(Clear: true, [], []));

    /// <summary>
    /// The net change an edit makes to the current members, with every added id checked and named; null when it
    /// changes nothing. Costs O(ids in the request): which of them are members is asked, the group is never read whole.
    /// </summary>
    private async Task<ScimResult<MembershipDelta?>> DeltaAsync(MembershipEdit edit, bool current)
    {
        if (!edit.Touched)
        {
            return ScimResult<MembershipDelta?>.Success(null);
        }
        var resolved = await MemberDirectory.ResolveAsync(GrainFactory, Tenant, await ShardCountAsync(), edit.Adds);
        if (!resolved.TryGetValue(out var added, out var error))
        {
            return error;
        }
        if (!current)
        {
            return ScimResult<MembershipDelta?>.Success(added.Count == 0 ? null : new MembershipDelta(Clear: false, added, []));
        }
        if (edit.Clear)
        {
            return ScimResult<MembershipDelta?>.Success(await IsExactlyAsync(added) ? null : new MembershipDelta(Clear: true, added, []));
        }
        var present = await members.ContainedAsync(Tenant, Id, [.. edit.Adds, .. edit.Removes]);
        var adds = added.Where(m => !present.Contains(m.UserId)).ToList();
        var removes = edit.Removes.Where(present.Contains).ToList();
        return ScimResult<MembershipDelta?>.Success(adds.Count == 0 && removes.Count == 0 ? null : new MembershipDelta(Clear: false, adds, removes));
    }

    /// <summary>Whether the group's members are exactly these (a count and a lookup of each: O(list), never O(group)).</summary>
    private async Task<bool> IsExactlyAsync(IReadOnlyList<GroupMember> list)
    {
        var count = await members.CountAsync(Tenant, Id);
        if (count != list.Count)
        {
            return false;
        }
        return count == 0 || (await members.ContainedAsync(Tenant, Id, [.. list.Select(m => m.UserId)])).Count == list.Count;
    }

    private static Outside? WithMembers(MembershipDelta? change) =>
        change is null ? null : new Outside(s => s with { Members = change }, Members);
}
