using Azure.Data.Tables;

namespace Automation.Runtime.Storage;

internal static class TablePages
{
    /// <summary>
    /// Up to <paramref name="limit"/> rows from where <paramref name="continuationToken"/> left off. A filtered query
    /// can answer a short or empty page with a token; a few more pages are read so a page is not empty for nothing.
    /// </summary>
    public static async Task<(IReadOnlyList<TableEntity> Rows, string? Next)> ReadAsync(
        TableClient table, string filter, int limit, string? continuationToken, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var token = continuationToken;
        for (var pages = 0; pages < 5 && rows.Count < limit; pages++)
        {
            var pageable = table.QueryAsync<TableEntity>(filter, limit - rows.Count, select, cancellationToken).AsPages(token, limit - rows.Count);
            var page = await FirstAsync(pageable, cancellationToken);
            if (page is null)
            {
                token = null;
                break;
            }

            rows.AddRange(page.Values);
            token = page.ContinuationToken;
            if (string.IsNullOrEmpty(token))
            {
                token = null;
                break;
            }
        }

        return (rows, token);
    }

    private static async Task<Azure.Page<TableEntity>?> FirstAsync(IAsyncEnumerable<Azure.Page<TableEntity>> pages, CancellationToken cancellationToken)
    {
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            return page;
        }

        return null;
    }
}
