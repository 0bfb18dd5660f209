using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Tessera.Node.Gateway.Migrations;

/// <summary>
/// Domains, their dataset catalogues and the tag index. Written by hand and provider-neutral, like the node's
/// <c>M001_Accounts</c>: column types come from the provider's mapping of each CLR type (ticks on SQLite for DateTimeOffset).
/// </summary>
[DbContext(typeof(GatewayDbContext))]
[Migration("20261121000101_Network")]
internal sealed class G001_Network : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var sqlite = ActiveProvider?.Contains("Sqlite", StringComparison.Ordinal) == true;
        migrationBuilder.CreateTable(
            name: "network_domains",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 32, nullable: false),
                Name = table.Column<string>(maxLength: CatalogueRules.MaxDomainNameLength, nullable: false),
                Url = table.Column<string>(maxLength: CatalogueRules.MaxUrlLength, nullable: false),
                SecretHash = table.Column<string>(maxLength: 64, nullable: false),
                CatalogueHash = table.Column<string>(maxLength: 64, nullable: false),
                DatasetCount = table.Column<int>(nullable: false),
                RegisteredAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
                LastSeen = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_network_domains", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_network_domains_LastSeen", table: "network_domains", column: "LastSeen");

        migrationBuilder.CreateTable(
            name: "network_datasets",
            columns: table => new
            {
                DomainId = table.Column<string>(maxLength: 32, nullable: false),
                DatasetId = table.Column<string>(maxLength: CatalogueRules.MaxDatasetIdLength, nullable: false),
                Name = table.Column<string>(maxLength: CatalogueRules.MaxDatasetNameLength, nullable: false),
                Description = table.Column<string>(maxLength: CatalogueRules.MaxDescriptionLength, nullable: true),
                TagsJson = table.Column<string>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_network_datasets", x => new { x.DomainId, x.DatasetId });
                table.ForeignKey("FK_network_datasets_network_domains_DomainId", x => x.DomainId, "network_domains", "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "network_tags",
            columns: table => new
            {
                DomainId = table.Column<string>(maxLength: 32, nullable: false),
                DatasetId = table.Column<string>(maxLength: CatalogueRules.MaxDatasetIdLength, nullable: false),
                Tag = table.Column<string>(maxLength: CatalogueRules.MaxTagLength, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_network_tags", x => new { x.DomainId, x.DatasetId, x.Tag });
                table.ForeignKey("FK_network_tags_network_datasets_DomainId_DatasetId", x => new { x.DomainId, x.DatasetId }, "network_datasets",
                    ["DomainId", "DatasetId"], onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_network_tags_Tag", table: "network_tags", column: "Tag");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "network_tags");
        migrationBuilder.DropTable(name: "network_datasets");
        migrationBuilder.DropTable(name: "network_domains");
    }
}
