import { writeFileSync } from 'node:fs';
import { Docflo } from '../../../nodes/Docflo/Docflo.node';
import { DocGenLab } from '../../../nodes/DocGenLab/DocGenLab.node';
import { PdfGorilla } from '../../../nodes/PdfGorilla/PdfGorilla.node';
import { PdfSign } from '../../../nodes/PdfSign/PdfSign.node';
import { ReportFlow } from '../../../nodes/ReportFlow/ReportFlow.node';
const all = { reportFlow: new ReportFlow().description, docGenLab: new DocGenLab().description, docflo: new Docflo().description, pdfGorilla: new PdfGorilla().description, pdfSign: new PdfSign().description };
writeFileSync(__dirname + '/fixtures/descriptions.json', JSON.stringify(all, null, '\t') + '\n');
