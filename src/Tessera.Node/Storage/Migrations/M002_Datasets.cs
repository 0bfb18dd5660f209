using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Tessera.Node.Storage.Migrations;

/// <summary>Datasets, their tags and their access rules. Hand-written and provider-neutral, like <see cref="M001_Accounts"/>.</summary>
[DbContext(typeof(NodeDbContext))]
[Migration("20261121000002_Datasets")]
internal sealed class M002_Datasets : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var sqlite = ActiveProvider?.Contains("Sqlite", StringComparison.Ordinal) == true;
        migrationBuilder.CreateTable(
            name: "datasets",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 32, nullable: false),
                Name = table.Column<string>(maxLength: 128, nullable: false),
                Description = table.Column<string>(maxLength: 4000, nullable: false),
                Format = table.Column<string>(maxLength: 16, nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                SchemaJson = table.Column<string>(nullable: false),
                MockProvided = table.Column<bool>(nullable: false),
                ContentSha256 = table.Column<string>(maxLength: 64, nullable: true),
                ContentRequestId = table.Column<string>(maxLength: 64, nullable: true),
                ContentBytes = table.Column<long>(nullable: false),
                Rows = table.Column<long>(nullable: true),
                MockSha256 = table.Column<string>(maxLength: 64, nullable: true),
                MockRequestId = table.Column<string>(maxLength: 64, nullable: true),
                CreatedBy = table.Column<string>(maxLength: 32, nullable: false),
                CreatedAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
                Revision = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_datasets", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_datasets_Status", table: "datasets", column: "Status");

        migrationBuilder.CreateTable(
            name: "dataset_tags",
            columns: table => new
            {
                DatasetId = table.Column<string>(maxLength: 32, nullable: false),
                Tag = table.Column<string>(maxLength: 32, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_dataset_tags", x => new { x.DatasetId, x.Tag }));
        migrationBuilder.CreateIndex(name: "IX_dataset_tags_Tag", table: "dataset_tags", column: "Tag");

        migrationBuilder.CreateTable(
            name: "dataset_readers",
            columns: table => new
            {
                DatasetId = table.Column<string>(maxLength: 32, nullable: false),
                UserId = table.Column<string>(maxLength: 32, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_dataset_readers", x => new { x.DatasetId, x.UserId }));
        migrationBuilder.CreateIndex(name: "IX_dataset_readers_UserId", table: "dataset_readers", column: "UserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "dataset_readers");
        migrationBuilder.DropTable(name: "dataset_tags");
        migrationBuilder.DropTable(name: "datasets");
    }
}
